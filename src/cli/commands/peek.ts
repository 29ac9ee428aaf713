import { AWS_OPTIONS } from '../aws.js';
import type { Command } from '../command.js';
import { READ_OPTIONS, runRead } from './consume.js';

export const peekCommand: Command = {
  name: 'peek',
  summary: 'Look at messages on a queue without consuming them (never deletes).',
  usage: ['<queue-url> [--max N] [--json]'],
  description: `Receives up to --max messages, prints them decoded like \`consume\`, and then makes
them visible again at once. SQS has no true peek: each look counts as a receive, so it raises
the messages' receive count, and a queue with a redrive policy moves a message to its
dead-letter queue after maxReceiveCount looks. Messages being processed by a consumer are
not shown.`,
  options: { ...READ_OPTIONS, ...AWS_OPTIONS },
  examples: ['sqs-mega peek $QUEUE_URL', 'sqs-mega peek $QUEUE_URL -n 50 --json | jq .kind'],
  run(args, io) {
    // Hidden for the whole read so none is listed twice, then released.
    return runRead(args, io, 'release-at-end', 60, 'peeked at');
  },
};
