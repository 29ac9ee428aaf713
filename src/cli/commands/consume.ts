import { QUEUE_URL_EXAMPLE, queueUrlProblem } from '../../aws/queue-url.js';
import { AWS_OPTIONS, awsFailure, awsSettings, sqsClient } from '../aws.js';
import type { Command, OptionSpecs, ParsedArgs } from '../command.js';
import { booleanOption, intOption, positionals } from '../command.js';
import { UsageError } from '../errors.js';
import type { CliIO } from '../io.js';
import type { ReadOptions } from '../reader.js';
import { readMessages } from '../reader.js';
import { cliResolver } from '../large-payload.js';
import { localEndpointFor } from '../../aws/clients.js';

/** Options shared by `consume` and `peek` (each adds the AWS options last). */
export const READ_OPTIONS: OptionSpecs = {
  max: { type: 'string', short: 'n', value: 'N', description: 'read at most N messages (default 10)' },
  wait: { type: 'string', value: 'SECONDS', description: 'long-poll wait per receive, 0-20; the read ends at the first empty receive (default 2)' },
  json: { type: 'boolean', description: 'one JSON object per message and line, for machines' },
  quiet: { type: 'boolean', short: 'q', description: 'no progress count on stderr' },
};

export async function runRead(args: ParsedArgs, io: CliIO, settle: ReadOptions['settle'], visibilityTimeout: number, verb: string): Promise<number> {
  const [queueUrl] = positionals(args, ['queue-url']) as [string];
  const problem = queueUrlProblem(queueUrl);
  if (problem !== undefined) {
    throw new UsageError(`<queue-url> must be a queue URL such as ${QUEUE_URL_EXAMPLE} (${problem}), got ${JSON.stringify(queueUrl)}`);
  }
  const aws = awsSettings(args, io.env);
  const options: ReadOptions = {
    queueUrl,
    max: intOption(args, 'max', { min: 1, max: 1_000_000, default: 10 }),
    waitSeconds: intOption(args, 'wait', { min: 0, max: 20, default: 2 }),
    visibilityTimeout,
    json: booleanOption(args, 'json'),
    quiet: booleanOption(args, 'quiet'),
    settle,
    // S3 on the same endpoint as SQS (a local emulator), else the SDK's default for S3.
    largePayloads: cliResolver({ ...aws.sqs, endpoint: aws.sqs.endpoint ?? localEndpointFor(queueUrl) }),
  };
  const client = sqsClient(aws, queueUrl);
  try {
    const result = await readMessages(client, options, io);
    const tail = settle === 'delete' ? `, deleted ${result.deleted}` : settle === 'release-at-end' ? `, released ${result.released}` : '';
    if (!options.quiet) io.stderr.write(`${verb} ${result.received} message${result.received === 1 ? '' : 's'}${tail}\n`);
    return 0;
  } catch (error) {
    throw awsFailure(error, `reading ${queueUrl}`);
  } finally {
    client.destroy();
  }
}

export const consumeCommand: Command = {
  name: 'consume',
  summary: 'Receive messages from a queue and print them decoded; delete them only with --delete.',
  usage: ['<queue-url> [--max N] [--delete] [--json]'],
  description: `Receives up to --max messages and prints each one decoded: its kind (mega, data,
plaintext, binary, invalid), encoding, SNS envelope and payload. Without --delete the messages
stay on the queue and come back after their visibility timeout, as after any receive; with
--delete each printed batch is deleted. Use \`peek\` to look without side effects.`,
  options: {
    ...READ_OPTIONS,
    delete: { type: 'boolean', description: 'delete each message once it was printed' },
    'visibility-timeout': { type: 'string', value: 'SECONDS', description: 'how long received messages stay hidden (default 30)' },
    ...AWS_OPTIONS,
  },
  examples: ['sqs-mega consume https://sqs.eu-west-1.amazonaws.com/123456789012/orders --max 100 --json > orders.jsonl', 'sqs-mega consume $QUEUE_URL --delete'],
  run(args, io) {
    const visibility = intOption(args, 'visibility-timeout', { min: 0, max: 43_200, default: 30 });
    return runRead(args, io, booleanOption(args, 'delete') ? 'delete' : 'keep', visibility, booleanOption(args, 'delete') ? 'consumed' : 'received');
  },
};
