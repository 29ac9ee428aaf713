import { randomBytes } from 'node:crypto';
import { SnsPublisher, SqsPublisher } from '../../publish/exports.js';
import { SqsListener } from '../../listener/listener.js';
import { jsonLogger } from '../../aws/logger.js';
import type { MessageContext } from '../../dispatch/context.js';
import type { DispatchOutcome } from '../../dispatch/outcome.js';
import type { AwsSettings } from '../aws.js';
import { AWS_OPTIONS, awsFailure, awsSettings, snsClient, sqsClient } from '../aws.js';
import type { Command } from '../command.js';
import { booleanOption, intOption, positionals } from '../command.js';
import { CliFailure } from '../errors.js';
import type { EmbeddedServer } from '../embedded.js';
import { startEmbeddedServer } from '../embedded.js';
import type { CliIO } from '../io.js';
import { summary } from '../render.js';
import type { DemoMessage } from '../demo/messages.js';
import { demoMessages } from '../demo/messages.js';
import type { DemoResources } from '../demo/resources.js';
import { createDemoResources, deleteDemoResources } from '../demo/resources.js';
import { CheckoutStarted, ItemAdded, PaymentCaptured, Ping, UserNotification } from '../demo/subscribers.js';

const CREDENTIAL_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'];

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Run a self-contained tour: topics, a queue, a mix of messages, a listener and its decisions.',
  usage: ['[--embedded] [--timeout SECONDS]'],
  description: `With no endpoint and no AWS credentials configured (or with --embedded), starts an
in-memory SQS/SNS server (fauxqs) on 127.0.0.1; otherwise it uses the configured endpoint or AWS
account, creating resources with a random suffix and deleting them at the end. It creates a
queue, its dead-letter queue, a topic delivering in SNS envelopes and one with raw delivery,
publishes MEGA events and data objects (JSON and BSON), a plaintext and an invalid body, runs
a listener with the example subscribers of src/cli/demo/subscribers.ts and prints what each did
and what became of every message. Exits 0 when every message was settled.`,
  options: {
    embedded: { type: 'boolean', description: 'use the embedded server even when an endpoint or credentials are configured' },
    timeout: { type: 'string', value: 'SECONDS', description: 'give up when the messages are not all settled by then (default 30)' },
    logs: { type: 'boolean', description: "also show the listener's JSON log lines (info level) on stderr" },
    ...AWS_OPTIONS,
  },
  examples: ['npm start', 'sqs-mega demo', 'AWS_ENDPOINT_URL=http://127.0.0.1:4566 sqs-mega demo'],
  async run(args, io) {
    positionals(args, []);
    const timeoutMs = intOption(args, 'timeout', { min: 1, max: 600, default: 30 }) * 1000;
    const configured = awsSettings(args, io.env);
    const embedded = booleanOption(args, 'embedded') || (configured.sqs.endpoint === undefined && !CREDENTIAL_VARIABLES.some((v) => (io.env[v] ?? '') !== ''));

    let server: EmbeddedServer | undefined;
    let settings: AwsSettings = configured;
    if (embedded) {
      server = await startEmbeddedServer();
      const local = { endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' } };
      settings = { sqs: local, sns: local };
    }
    const out = (line = '') => void io.stdout.write(line + '\n');
    out(`sqs-mega demo on ${server !== undefined ? `an embedded fauxqs at ${server.endpoint}` : (settings.sqs.endpoint ?? `AWS (${settings.sqs.region ?? 'region from the SDK'})`)}`);
    const sqs = sqsClient(settings);
    const sns = snsClient(settings);
    let resources: DemoResources | undefined;
    try {
      resources = await createDemoResources(sqs, sns, randomBytes(3).toString('hex')).catch((error: unknown) => {
        throw awsFailure(error, 'creating the demo queue and topics');
      });
      out(`  queue        ${resources.queueUrl}`);
      out(`  dead letters ${resources.deadLetterQueueUrl}`);
      out(`  topic        ${resources.eventsTopicArn} -> queue, in SNS envelopes`);
      out(`  topic        ${resources.dataTopicArn} -> queue, raw delivery`);
      const messages = demoMessages();
      await publishAll(messages, resources, sqs, sns, out);
      await runListener(messages, resources, sqs, io, out, timeoutMs, booleanOption(args, 'logs'));
      return 0;
    } finally {
      if (resources !== undefined && server === undefined) await deleteDemoResources(sqs, sns, resources);
      sqs.destroy();
      sns.destroy();
      await server?.stop();
    }
  },
};

async function publishAll(messages: DemoMessage[], r: DemoResources, sqs: ReturnType<typeof sqsClient>, sns: ReturnType<typeof snsClient>, out: (line?: string) => void): Promise<void> {
  const queue = new SqsPublisher({ queueUrl: r.queueUrl, client: sqs });
  const events = new SnsPublisher({ topicArn: r.eventsTopicArn, client: sns });
  const data = new SnsPublisher({ topicArn: r.dataTopicArn, client: sns });
  out('');
  out(`published ${messages.length} messages:`);
  for (const [i, m] of messages.entries()) {
    // The `demo` attribute travels with the message (in the envelope or as an SQS attribute) so the
    // listener's side can say which one it got.
    const options = { binaryEncoding: m.bson, messageAttributes: { demo: String(i + 1) } };
    try {
      if (m.route === 'queue') await queue.publish(m.payload, options);
      else await (m.route.startsWith('events') ? events : data).publish(m.payload, options);
    } catch (error) {
      throw awsFailure(error, `publishing demo message ${i + 1} (${m.label})`);
    }
    out(`  ${String(i + 1).padStart(2)}. ${m.label.padEnd(36)} ${m.bson ? 'BSON' : typeof m.payload === 'string' ? 'text' : 'JSON'} via ${m.route}`);
  }
}

async function runListener(messages: DemoMessage[], r: DemoResources, sqs: ReturnType<typeof sqsClient>, io: CliIO, out: (line?: string) => void, timeoutMs: number, logs: boolean): Promise<void> {
  const said = new Map<string, string[]>();
  const labels = new Map<string, string>();
  const say = (context: MessageContext, subscriber: string, text: string) => {
    said.set(context.messageId, [...(said.get(context.messageId) ?? []), `${subscriber}: ${text}`]);
  };
  const labelOf = (context: MessageContext) => {
    const n = Number(context.messageAttributes.demo);
    return Number.isInteger(n) && messages[n - 1] !== undefined ? `${n}. ${messages[n - 1]?.label}` : '(not a demo message)';
  };
  const onAfterProcess = (context: MessageContext, outcome: DispatchOutcome) => {
    labels.set(context.messageId, labelOf(context));
    const lines = [`${labelOf(context)}  (receive ${context.receiveCount})`, `    decoded   ${summary(outcome.decoded)}`];
    for (const line of said.get(context.messageId) ?? []) lines.push(`    ${line}`);
    said.delete(context.messageId);
    const results = outcome.results.map((res) => `${res.subscriber} ${res.status}`).join(', ');
    lines.push(`    results   ${results === '' ? 'no subscriber matched' : results}`);
    lines.push(`    decision  ${describeDecision(outcome)}`);
    out(lines.join('\n'));
  };

  const listener = new SqsListener({
    queueUrl: r.queueUrl,
    client: sqs,
    waitTimeSeconds: 1,
    visibilityTimeout: 10,
    retryDelaySeconds: () => 1,
    deadLetterQueueUrl: r.deadLetterQueueUrl,
    shutdownTimeoutMs: 5000,
    // The demo tells its story on stdout; the listener's own JSON lines go to stderr with --logs,
    // and otherwise only its errors do, minus the subscriber failure the demo provokes and reports.
    logger: jsonLogger({
      level: logs ? 'info' : 'error',
      write: (line) => void (logs || !line.includes('"msg":"subscriber failed"') ? io.stderr.write(line) : undefined),
    }),
    onAfterProcess,
  });
  for (const subscriber of [new ItemAdded(say), new CheckoutStarted(say), new PaymentCaptured(say), new UserNotification(say), new Ping(say)]) {
    listener.registerSubscriber(subscriber);
  }
  out('');
  out(`listening with ${listener.subscribers.map((s) => s.constructor.name).join(', ')}:`);

  let deleted = 0;
  let retried = 0;
  let deadLettered = 0;
  const settled = new Promise<void>((resolve) => {
    listener.on('message_deleted', () => {
      deleted += 1;
      if (deleted === messages.length) resolve();
    });
  });
  listener.on('message_retried', (e) => {
    retried += 1;
    out(`${labels.get(e.messageId) ?? e.messageId}: left on the queue, visible again in ${e.delaySeconds} s`);
  });
  listener.on('message_dead_lettered', () => void (deadLettered += 1));

  let timer: NodeJS.Timeout | undefined;
  const listening = listener.listen();
  try {
    await Promise.race([
      settled,
      listening.then(() => Promise.reject(new CliFailure('the listener stopped before every message was settled'))),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new CliFailure(`only ${deleted} of ${messages.length} messages were settled in ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await listener.stop();
  }
  out('');
  out(`done: ${messages.length} messages published, ${deleted} deleted (${deadLettered} copied to the dead-letter queue first), ${retried} retry.`);
  out('Run `sqs-mega --help` to publish, peek and consume on your own queues.');
}

function describeDecision(outcome: DispatchOutcome): string {
  const { action, reason, deadLetter } = outcome.decision;
  if (action === 'retry') return 'retry (a subscriber asked for it): the message stays on the queue';
  const why = { processed: 'every subscriber is done', unmatched: 'no subscriber wants it', invalid: 'the body is invalid', fatal: 'a subscriber failed for good', retry: '' }[reason];
  return `delete (${why})${deadLetter ? ', after a copy to the dead-letter queue' : ''}`;
}
