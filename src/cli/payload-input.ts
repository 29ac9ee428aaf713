import { decodeObject } from '../codec/body.js';
import { withPayloadDefaults } from '../protocol/builder.js';
import type { DataObject, MegaPayload } from '../protocol/types.js';
import type { ParsedArgs } from './command.js';
import { booleanOption, stringOption } from './command.js';
import { CliFailure, UsageError } from './errors.js';
import type { CliIO } from './io.js';
import { readFileOrStdin, readStdin } from './io.js';

/** What `publish` sends: a validated MEGA payload, a data object, or text as it is. */
export type PublishInput = { kind: 'mega'; payload: MegaPayload } | { kind: 'data'; payload: DataObject } | { kind: 'text'; payload: string };

/**
 * Reads the payload from exactly one of --json, --text, --file or stdin. JSON must be an object;
 * a MEGA-tagged object is completed (version, timestamp) and validated here, so a bad event fails
 * before anything is sent.
 */
export async function readPublishInput(args: ParsedArgs, io: CliIO): Promise<PublishInput> {
  const json = stringOption(args, 'json');
  const text = stringOption(args, 'text');
  const file = stringOption(args, 'file');
  const given = [json !== undefined && '--json', text !== undefined && '--text', file !== undefined && '--file'].filter((g) => g !== false);
  if (given.length > 1) throw new UsageError(`give the payload once: ${given.join(' and ')} were both given`);
  const plain = booleanOption(args, 'plain');
  if (plain && (json !== undefined || text !== undefined)) throw new UsageError('--plain applies to --file or stdin only');

  if (text !== undefined) return { kind: 'text', payload: text };
  const source = json !== undefined ? '--json' : file !== undefined ? (file === '-' ? 'stdin' : file) : 'stdin';
  const content = json ?? (file !== undefined ? await readFileOrStdin(file, io, 'the payload') : await readStdin(io, 'payload'));
  if (plain) return { kind: 'text', payload: content };
  return classifyJson(content, source);
}

export function classifyJson(content: string, source: string): PublishInput {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (error) {
    throw new CliFailure(`the payload from ${source} is not valid JSON (${(error as Error).message}); use --text or --plain to send text`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliFailure(`the payload from ${source} must be a JSON object (a MEGA event or a data object), got ${Array.isArray(value) ? 'an array' : typeof value}`);
  }
  // Written by hand, so fill in what PayloadBuilder would: the protocol version, the timestamp (now).
  const object = (value as DataObject).protocol === 'mega' ? withPayloadDefaults(value as DataObject) : (value as DataObject);
  const decoded = decodeObject(object, 'json');
  if (decoded.kind === 'invalid') throw new CliFailure(`the MEGA payload from ${source} is invalid: ${decoded.error.message}`);
  if (decoded.kind === 'mega') return { kind: 'mega', payload: decoded.payload };
  return { kind: 'data', payload: value as DataObject };
}
