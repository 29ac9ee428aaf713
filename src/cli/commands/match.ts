import { decodeBody } from '../../codec/body.js';
import { Dispatcher } from '../../dispatch/dispatcher.js';
import type { Explanation } from '../../dispatch/explain.js';
import { explain } from '../../dispatch/explain.js';
import type { Command } from '../command.js';
import { booleanOption, positionals } from '../command.js';
import { CliFailure } from '../errors.js';
import { readFileOrStdin, stripFinalNewline } from '../io.js';
import { summary, toJson } from '../render.js';
import { loadSubscribers } from '../subscriber-module.js';

export const matchCommand: Command = {
  name: 'match',
  summary: 'Say which subscribers of a module match a message, and why the others do not.',
  usage: ['<subscriber-module> <body-file | ->'],
  description: `Loads the subscribers a module exports (classes extending EventSubscriber,
DataSubscriber, ... or instances), registers them as a listener would (so malformed patterns are
reported), decodes the body file as an SQS message body (JSON, base64 BSON, SNS envelope, text)
and explains each subscriber: matched, or the first field that fails with expected vs actual.
Nothing is processed. Exits 0 whether or not anything matched.`,
  options: {
    json: { type: 'boolean', description: 'one JSON line per subscriber: {subscriber, matched, reason?, fields}' },
  },
  examples: ['sqs-mega match ./dist/subscribers.js event.json', 'node --import tsx ./node_modules/.bin/sqs-mega match src/subscribers.ts event.json'],
  async run(args, io) {
    const [modulePath, bodyPath] = positionals(args, ['subscriber-module', 'body-file']) as [string, string];
    const subscribers = await loadSubscribers(modulePath);
    const dispatcher = new Dispatcher();
    for (const subscriber of subscribers) {
      try {
        dispatcher.register(subscriber);
      } catch (error) {
        throw new CliFailure(`cannot register a subscriber from ${modulePath}: ${(error as Error).message}`, { cause: error });
      }
    }
    const decoded = decodeBody(stripFinalNewline(await readFileOrStdin(bodyPath, io, 'the message body')));
    const explanations = dispatcher.subscribers.map((s) => explain(s, decoded));
    if (booleanOption(args, 'json')) {
      for (const e of explanations) io.stdout.write(toJson(e) + '\n');
      return 0;
    }
    const matched = explanations.filter((e) => e.matched).length;
    io.stdout.write(`message: ${summary(decoded)}\n${matched} of ${explanations.length} subscriber${explanations.length === 1 ? '' : 's'} match\n\n`);
    for (const e of explanations) io.stdout.write(describe(e));
    return 0;
  },
};

function describe(e: Explanation): string {
  const lines = [`${e.matched ? 'MATCH   ' : 'NO MATCH'} ${e.subscriber}${e.reason === undefined ? '' : `: ${e.reason}`}`];
  for (const field of e.fields) {
    if (field.matched) lines.push(`  ok    ${field.field}`);
    else if (field.mismatch !== undefined) {
      const m = field.mismatch;
      lines.push(`  fails ${m.path === field.field ? field.field : `${field.field} at ${m.path}`}: expected ${m.expected}, got ${actual(m.actual)}`);
    } else lines.push(`  fails ${field.field}`);
  }
  return lines.join('\n') + '\n';
}

function actual(value: unknown): string {
  if (value === undefined) return 'nothing (missing)';
  if (value instanceof Date) return value.toISOString();
  const text = toJson(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
