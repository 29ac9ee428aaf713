import { isIP } from 'node:net';
import { SqsListener } from '../../listener/listener.js';
import { jsonLogger } from '../../aws/logger.js';
import { AWS_OPTIONS, awsFailure, awsSettings, sqsClient } from '../aws.js';
import type { Command } from '../command.js';
import { intOption, listOption, positionals, stringOption } from '../command.js';
import { CliFailure, UsageError } from '../errors.js';
import type { HealthServer } from '../health.js';
import { DEFAULT_HEALTH_HOST, healthUrl, startHealthServer } from '../health.js';
import { loadSubscribers } from '../subscriber-module.js';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];

export const listenCommand: Command = {
  name: 'listen',
  summary: 'Run a listener on a queue with the subscribers a module exports (a container entry point).',
  usage: ['<subscriber-module> <queue-url> [options]', '<subscriber-module> --queue URL[=WEIGHT] --queue URL[=WEIGHT] [--polling strict|weighted] [options]'],
  description: `Loads the subscribers the module exports (classes or instances; arrays of them too),
registers them and consumes the queue until SIGTERM or SIGINT, then stops gracefully: no more
receives, running handlers get --shutdown-timeout to finish, unstarted messages are released.
Logs are JSON lines on stderr. With --health-port, GET http://127.0.0.1:PORT/ answers 200
while the listener polls, and 503 while it starts or stops or while ReceiveMessage is failing
(failed in the last 30 s, or twice --wait, with no message since). It listens on loopback only
unless --health-host says otherwise (0.0.0.0 for a Kubernetes httpGet probe, which connects to
the pod's IP). Exits 0 after a clean stop. With --queue (repeatable, highest priority first) one
listener consumes several queues under one --max-in-flight: weighted by each WEIGHT (default 1),
or with --polling strict in priority order.`,
  options: {
    queue: { type: 'string', multiple: true, value: 'URL[=WEIGHT]', description: 'a queue to consume instead of <queue-url>; several share one budget' },
    polling: { type: 'string', value: 'MODE', description: 'with --queue: weighted (default) or strict priority in the order given' },
    concurrency: { type: 'string', short: 'c', value: 'N', description: 'ReceiveMessage loops in parallel, per queue (default 1)' },
    'max-messages': { type: 'string', value: 'N', description: 'messages per receive, 1-10 (default 10)' },
    'max-in-flight': { type: 'string', value: 'N', description: 'most messages held at once, received but not settled (default concurrency x max-messages x 2)' },
    wait: { type: 'string', value: 'SECONDS', description: 'long-poll wait, 0-20 (default 20)' },
    'visibility-timeout': { type: 'string', value: 'SECONDS', description: 'initial visibility timeout, extended while processing (default 30)' },
    'dead-letter-queue-url': { type: 'string', value: 'URL', description: 'copy FATAL_ERROR and invalid messages here before deleting them' },
    'shutdown-timeout': { type: 'string', value: 'SECONDS', description: 'how long running handlers get to finish on stop (default 30)' },
    'handler-timeout': { type: 'string', value: 'SECONDS', description: "give up a message's processing as a retry after this long (default 900)" },
    'health-port': { type: 'string', value: 'PORT', description: 'serve a health check on 127.0.0.1:PORT (0 picks a free port, logged)' },
    'health-host': { type: 'string', value: 'ADDRESS', description: 'IP address the health check binds, e.g. 0.0.0.0 or :: for all (default 127.0.0.1)' },
    'log-level': { type: 'string', value: 'LEVEL', description: 'debug, info, warn or error (default info)' },
    ...AWS_OPTIONS,
  },
  examples: [
    'sqs-mega listen ./dist/subscribers.js $QUEUE_URL --concurrency 4 --health-port 8080',
    'sqs-mega listen ./dist/subscribers.js --queue $URGENT_URL --queue $BULK_URL --polling strict',
    'node --import tsx node_modules/.bin/sqs-mega listen src/subscribers.ts $QUEUE_URL',
  ],
  async run(args, io) {
    const [modulePath, queueUrl] = positionals(args, ['subscriber-module', 'queue-url'], 1) as [string, string | undefined];
    const source = queueSource(queueUrl, listOption(args, 'queue'), stringOption(args, 'polling'));
    const level = (stringOption(args, 'log-level') ?? 'info') as Level;
    if (!LEVELS.includes(level)) throw new UsageError(`--log-level must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(level)}`);
    const concurrency = intOption(args, 'concurrency', { min: 1, max: 100, default: 1 });
    const maxNumberOfMessages = intOption(args, 'max-messages', { min: 1, max: 10, default: 10 });
    const maxInFlight = intOption(args, 'max-in-flight', { min: 1, max: 100_000 });
    const waitTimeSeconds = intOption(args, 'wait', { min: 0, max: 20, default: 20 });
    const visibilityTimeout = intOption(args, 'visibility-timeout', { min: 0, max: 43_200, default: 30 });
    const shutdownSeconds = intOption(args, 'shutdown-timeout', { min: 0, max: 86_400, default: 30 });
    const handlerTimeoutSeconds = intOption(args, 'handler-timeout', { min: 1, max: 43_200 });
    const healthPort = intOption(args, 'health-port', { min: 0, max: 65_535 });
    const healthHost = stringOption(args, 'health-host');
    if (healthHost !== undefined && isIP(healthHost) === 0) {
      throw new UsageError(`--health-host must be an IP address such as 127.0.0.1 or 0.0.0.0, got ${JSON.stringify(healthHost)}`);
    }
    if (healthHost !== undefined && healthPort === undefined) throw new UsageError('--health-host needs --health-port');
    const deadLetterQueueUrl = stringOption(args, 'dead-letter-queue-url');

    const logger = jsonLogger({ level, write: (line) => void io.stderr.write(line) });
    const where = 'queueUrl' in source ? source.queueUrl : source.queues.map((q) => q.queueUrl).join(', ');
    const client = sqsClient(awsSettings(args, io.env), 'queueUrl' in source ? source.queueUrl : source.queues[0]?.queueUrl ?? '');
    let listener: SqsListener;
    try {
      listener = new SqsListener({
        ...source, client, logger, concurrency, maxNumberOfMessages, waitTimeSeconds, visibilityTimeout,
        shutdownTimeoutMs: shutdownSeconds * 1000,
        ...(deadLetterQueueUrl === undefined ? {} : { deadLetterQueueUrl }),
        ...(maxInFlight === undefined ? {} : { maxInFlight }),
        ...(handlerTimeoutSeconds === undefined ? {} : { handlerTimeoutSeconds }),
      });
    } catch (error) {
      client.destroy();
      // Options come from the command line, so a rejected option is a usage error.
      if ((error as Error).name === 'ListenerOptionsError') throw new UsageError((error as Error).message);
      throw new CliFailure((error as Error).message, { cause: error });
    }
    try {
      for (const subscriber of await loadSubscribers(modulePath)) listener.registerSubscriber(subscriber);
    } catch (error) {
      client.destroy();
      if (error instanceof CliFailure) throw error;
      throw new CliFailure(`cannot register a subscriber from ${modulePath}: ${(error as Error).message}`, { cause: error });
    }
    logger.info('subscribers registered', { module: modulePath, subscribers: listener.subscribers.map((s) => s.constructor.name) });

    let state = 'starting';
    // A failed ReceiveMessage makes the check fail until a message arrives or the failure is old:
    // the poller retries with backoff (up to 20 s apart), so a live outage keeps it recent.
    let receiveFailedAt = 0;
    const failingFor = Math.max(30, 2 * waitTimeSeconds) * 1000;
    listener.on('started', () => (state = 'polling'));
    listener.on('stopped', () => (state = 'stopped'));
    listener.on('error', ({ stage }) => void (stage === 'receive' && (receiveFailedAt = Date.now())));
    listener.on('message_received', () => (receiveFailedAt = 0));
    const health = () => (state === 'polling' && Date.now() - receiveFailedAt < failingFor ? 'receive failing' : state);
    const stopping = () => (state = 'stopping');
    process.once('SIGTERM', stopping);
    process.once('SIGINT', stopping);

    let healthServer: HealthServer | undefined;
    try {
      if (healthPort !== undefined) {
        const host = healthHost ?? DEFAULT_HEALTH_HOST;
        healthServer = await startHealthServer(healthPort, health, host).catch((error: Error) => {
          throw new CliFailure(`cannot serve the health check on ${healthUrl(host, healthPort)}: ${error.message}`);
        });
        logger.info('health check listening', { url: healthUrl(host, healthServer.port) });
      }
      await listener.listen();
      return 0;
    } catch (error) {
      throw awsFailure(error, `listening to ${where}`);
    } finally {
      process.off('SIGTERM', stopping);
      process.off('SIGINT', stopping);
      await healthServer?.close();
      client.destroy();
    }
  },
};

/** `<queue-url>` or `--queue URL[=WEIGHT]`..., exactly one of the two; `--polling` goes with --queue. */
function queueSource(queueUrl: string | undefined, queues: string[], polling: string | undefined): { queueUrl: string } | { queues: { queueUrl: string; weight?: number }[]; polling?: 'weighted' | 'strict' } {
  if (polling !== undefined && polling !== 'weighted' && polling !== 'strict') throw new UsageError(`--polling must be weighted or strict, got ${JSON.stringify(polling)}`);
  if (queues.length === 0) {
    if (queueUrl === undefined) throw new UsageError('missing <queue-url> (or --queue)');
    if (polling !== undefined) throw new UsageError('--polling goes with --queue');
    return { queueUrl };
  }
  if (queueUrl !== undefined) throw new UsageError('give <queue-url> or --queue, not both');
  const parsed = queues.map((spec) => {
    const at = spec.lastIndexOf('=');
    if (at < 0) return { queueUrl: spec };
    const weight = spec.slice(at + 1);
    if (!/^[1-9]\d*$/.test(weight)) throw new UsageError(`--queue ${JSON.stringify(spec)}: the weight after = must be a positive integer`);
    return { queueUrl: spec.slice(0, at), weight: Number(weight) };
  });
  return { queues: parsed, ...(polling === undefined ? {} : { polling }) };
}
