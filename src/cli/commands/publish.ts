import { SnsPublisher, SqsPublisher } from '../../publish/exports.js';
import { AWS_OPTIONS, awsFailure, awsSettings, snsClient, sqsClient } from '../aws.js';
import type { Command } from '../command.js';
import { booleanOption, intOption, listOption, positionals, stringOption } from '../command.js';
import { CliFailure, UsageError } from '../errors.js';
import { readPublishInput } from '../payload-input.js';
import { toJson } from '../render.js';

export const publishCommand: Command = {
  name: 'publish',
  summary: 'Publish a MEGA event, a data object or text to an SQS queue or an SNS topic.',
  usage: ["<queue-url | topic-arn> --json '{...}'", '<queue-url | topic-arn> --file event.json', '<queue-url | topic-arn> --text "hello"', '<queue-url | topic-arn> < event.json'],
  description: `The target is a queue URL (https://sqs...) or a topic ARN (arn:aws:sns:...). The payload
is a JSON object from --json, --file or stdin, or text from --text (or --plain with a file or
stdin). A JSON object tagged "protocol": "mega" is a MEGA event: what it leaves out is filled in
as PayloadBuilder does (protocol "version" 1, "event.timestamp" now, event and object "version"
1), then it is validated before anything is sent. Any other object is a data object. --bson
sends objects as base64 BSON. Prints the message id.`,
  options: {
    json: { type: 'string', value: 'JSON', description: 'the payload as a JSON object' },
    text: { type: 'string', value: 'TEXT', description: 'a plaintext payload' },
    file: { type: 'string', short: 'f', value: 'PATH', description: "read the payload from a file ('-' for stdin)" },
    plain: { type: 'boolean', description: 'send the --file/stdin content as text, byte for byte, instead of parsing it as JSON' },
    bson: { type: 'boolean', description: 'encode the object as base64 BSON instead of JSON' },
    attr: { type: 'string', short: 'a', multiple: true, value: 'NAME=VALUE', description: 'a String message attribute' },
    delay: { type: 'string', value: 'SECONDS', description: 'delivery delay, 0-900 (queues only)' },
    'group-id': { type: 'string', value: 'ID', description: 'message group id (FIFO queues and topics)' },
    'dedup-id': { type: 'string', value: 'ID', description: 'deduplication id (FIFO queues and topics)' },
    subject: { type: 'string', value: 'TEXT', description: 'notification subject (topics only)' },
    'print-json': { type: 'boolean', description: 'print {"messageId", "target"} as JSON' },
    ...AWS_OPTIONS,
  },
  examples: [
    `sqs-mega publish $QUEUE_URL --json '{"protocol":"mega","event":{"domain":"shop","name":"item.added","subject":"1"}}'`,
    `sqs-mega publish $QUEUE_URL --json '{"type":"user_notification","user":{"id":1}}' --bson`,
    'sqs-mega publish arn:aws:sns:eu-west-1:123456789012:events --file item-added.json --attr source=cli',
    'echo hello | sqs-mega publish $QUEUE_URL --plain',
  ],
  async run(args, io) {
    const [target] = positionals(args, ['queue-url | topic-arn']) as [string];
    const isTopic = /^arn:aws[\w-]*:sns:/.test(target);
    if (!isTopic && !/^https?:\/\//.test(target)) {
      throw new UsageError(`the target must be a queue URL (http(s)://...) or an SNS topic ARN (arn:aws:sns:...), got ${JSON.stringify(target)}`);
    }
    const delay = intOption(args, 'delay', { min: 0, max: 900 });
    const subject = stringOption(args, 'subject');
    if (isTopic && delay !== undefined) throw new UsageError('--delay applies to queues only; SNS has no delivery delay');
    if (!isTopic && subject !== undefined) throw new UsageError('--subject applies to topics only');
    const messageAttributes = parseAttributes(listOption(args, 'attr'));
    const groupId = stringOption(args, 'group-id');
    const dedupId = stringOption(args, 'dedup-id');
    const binaryEncoding = booleanOption(args, 'bson');

    const input = await readPublishInput(args, io);
    if (binaryEncoding && input.kind === 'text') throw new UsageError('--bson encodes objects; it cannot be used with a text payload');

    const settings = awsSettings(args, io.env);
    const common = {
      binaryEncoding,
      ...(messageAttributes === undefined ? {} : { messageAttributes }),
      ...(groupId === undefined ? {} : { messageGroupId: groupId }),
      ...(dedupId === undefined ? {} : { messageDeduplicationId: dedupId }),
    };
    let messageId: string | undefined;
    if (isTopic) {
      const client = snsClient(settings);
      try {
        const publisher = new SnsPublisher({ topicArn: target, client });
        ({ messageId } = await publisher.publish(input.payload, { ...common, ...(subject === undefined ? {} : { subject }) }));
      } catch (error) {
        throw failure(error, target);
      } finally {
        client.destroy();
      }
    } else {
      const client = sqsClient(settings, target);
      try {
        const publisher = new SqsPublisher({ queueUrl: target, client });
        ({ messageId } = await publisher.publish(input.payload, { ...common, ...(delay === undefined ? {} : { delaySeconds: delay }) }));
      } catch (error) {
        throw failure(error, target);
      } finally {
        client.destroy();
      }
    }
    if (booleanOption(args, 'print-json')) io.stdout.write(toJson({ messageId, target }) + '\n');
    else io.stdout.write(`published ${describeInput(input.kind, binaryEncoding)} to ${target}\nmessage id ${messageId ?? '(none returned)'}\n`);
    return 0;
  },
};

function describeInput(kind: 'mega' | 'data' | 'text', bson: boolean): string {
  const what = kind === 'mega' ? 'a MEGA event' : kind === 'data' ? 'a data object' : 'text';
  return kind === 'text' ? what : `${what} as ${bson ? 'base64 BSON' : 'JSON'}`;
}

function parseAttributes(pairs: string[]): Record<string, string> | undefined {
  if (pairs.length === 0) return undefined;
  const attributes: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--attr takes NAME=VALUE, got ${JSON.stringify(pair)}`);
    attributes[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return attributes;
}

// The library's own errors (bad attribute name, payload too large...) already say what is wrong.
function failure(error: unknown, target: string): CliFailure {
  const name = (error as Error)?.name ?? '';
  if (['PublisherOptionsError', 'PayloadTooLargeError', 'EncodeError', 'MegaSchemaError'].includes(name)) {
    return new CliFailure((error as Error).message, { cause: error });
  }
  if (name === 'PublishError' && (error as Error).cause !== undefined) return awsFailure((error as Error).cause, `publishing to ${target}`);
  return awsFailure(error, `publishing to ${target}`);
}
