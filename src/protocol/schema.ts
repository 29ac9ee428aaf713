import { z } from 'zod';
import { MegaSchemaError } from './errors.js';
import { EVENT_FIELDS, parseCanonical } from './canonical.js';
import { isPlainObject } from './plain.js';
import { parseTimestamp } from './timestamp.js';
import type { DataObject, MegaEvent, MegaObject, MegaPayload } from './types.js';

export { isPlainObject };

/** True when the object declares itself a MEGA v1 payload (`protocol: 'mega'`, `version: 1` or `"1"`). */
export function isMegaTagged(value: Record<string, unknown>): boolean {
  return value.protocol === 'mega' && (value.version === 1 || value.version === '1');
}

/** Short description of an offending value for error messages. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 40 ? `a ${value.length}-character string` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return 'a Date';
  return typeof value === 'object' ? 'an object' : typeof value;
}

const expected = (what: string) => (issue: { input?: unknown }) => `expected ${what}, got ${describe(issue.input)}`;

// Optional fields: null reads as absent (tolerant reader), anything else must have the right type.
const absentIfNull = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === null ? undefined : v), schema.optional());

const nonEmptyString = z.string({ error: expected('a non-empty string') }).min(1, { error: expected('a non-empty string') });
const optionalString = absentIfNull(z.string({ error: expected('a string') }));
const dataObject = z.custom<DataObject>(isPlainObject, { error: expected('an object') });
const optionalObject = absentIfNull(dataObject);

// Versions are integers; the Python README writes some of them as strings ("1"), so integer strings count.
const integer = z.custom<number | string>(
  (v) => (typeof v === 'number' && Number.isSafeInteger(v)) || (typeof v === 'string' && /^-?\d{1,15}$/.test(v)),
  { error: expected('an integer') },
).transform(Number);
const versionDefaultingTo1 = absentIfNull(integer).transform((v) => v ?? 1);

const timestamp = z.unknown().transform((value, ctx) => {
  try {
    return parseTimestamp(value);
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/^event\.timestamp: /, '') : String(error);
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  }
});


/**
 * Moves every key of `event` that is not an event field into `attributes`; an explicit
 * `attributes` entry wins over a loose key of the same name. Built with Object.fromEntries so
 * a `__proto__` key stays an ordinary own property instead of replacing a prototype.
 */
export function foldEventAttributes(event: DataObject): DataObject {
  const keys = Object.keys(event);
  const loose = keys.filter((key) => !EVENT_FIELDS.has(key));
  if (loose.length === 0) return event;
  const { attributes } = event;
  // A malformed `attributes` is left for validation to report.
  if (attributes !== undefined && attributes !== null && !isPlainObject(attributes)) return event;
  const known = keys.filter((key) => EVENT_FIELDS.has(key) && key !== 'attributes');
  const folded = Object.fromEntries([...loose.map((key) => [key, event[key]]), ...Object.entries(attributes ?? {})]);
  return Object.fromEntries([...known.map((key) => [key, event[key]]), ['attributes', folded]]);
}

const eventSchema = z.preprocess(
  (v) => (isPlainObject(v) ? foldEventAttributes(v) : v),
  z.object(
    {
      name: nonEmptyString,
      timestamp,
      version: versionDefaultingTo1,
      domain: optionalString,
      subject: optionalString,
      publisher: optionalString,
      attributes: optionalObject,
    },
    { error: expected('an object') },
  ),
);

const objectSchema = z.object(
  {
    current: dataObject,
    previous: optionalObject,
    type: optionalString,
    id: optionalString,
    version: versionDefaultingTo1,
  },
  { error: expected('an object') },
);

/** The zod schema of a MEGA v1 payload as read from the wire (or from a builder). */
export const megaPayloadSchema = z.object(
  {
    protocol: z.literal('mega', { error: expected('"mega"') }),
    version: z.custom<1 | '1'>((v) => v === 1 || v === '1', { error: expected('protocol version 1') }),
    event: eventSchema,
    object: absentIfNull(objectSchema),
    extra: optionalObject,
  },
  { error: expected('an object') },
);

type ParsedPayload = z.output<typeof megaPayloadSchema>;

// zod leaves `key: undefined` for absent optional fields; the model omits them instead.
function withoutUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}

function toModel(parsed: ParsedPayload): MegaPayload {
  const e = parsed.event;
  const event: MegaEvent = withoutUndefined({
    name: e.name,
    timestamp: e.timestamp,
    version: e.version,
    domain: e.domain,
    subject: e.subject,
    publisher: e.publisher,
    attributes: e.attributes ?? {},
  });
  const payload: MegaPayload = { protocol: 'mega', version: 1, event, extra: parsed.extra ?? {} };
  const o = parsed.object;
  if (o !== undefined) {
    const object: MegaObject = withoutUndefined({
      current: o.current,
      previous: o.previous,
      type: o.type,
      id: o.id,
      version: o.version,
    });
    payload.object = object;
  }
  return payload;
}

/** The payload as the zod schema reads it, skipping the canonical fast path (for tests). */
export function parseMegaPayloadWithSchema(value: unknown): MegaPayload {
  const result = megaPayloadSchema.safeParse(value);
  if (result.success) return toModel(result.data);
  const issue = result.error.issues[0];
  const path = issue === undefined || issue.path.length === 0 ? '(payload)' : issue.path.map(String).join('.');
  throw new MegaSchemaError(`${path}: ${issue?.message ?? 'invalid MEGA payload'}`, path, { cause: result.error });
}

/**
 * Validates a MEGA payload (wire form or model) and returns the model: timestamps as `Date`,
 * loose event keys folded into `event.attributes`, defaults filled in. Throws a MegaSchemaError
 * whose message starts with, and whose `path` is, the first offending field (e.g. `event.name`).
 */
export function parseMegaPayload(value: unknown): MegaPayload {
  return parseCanonical(value) ?? parseMegaPayloadWithSchema(value);
}
