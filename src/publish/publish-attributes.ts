import { attributeBytes, type AttributeValue } from '../aws/attribute-size.js';
import { MAX_MESSAGE_ATTRIBUTES } from '../aws/limits.js';
import { ROUTING_ATTRIBUTE_NAMES, ROUTING_PREFIX } from '../filter/routing-attributes.js';
import { isPlainObject } from '../protocol/plain.js';
import { isMegaTagged } from '../protocol/schema.js';
import { PublisherOptionsError, TooManyAttributesError } from './publish-errors.js';

export type { AttributeValue };

/** A string (`String`), a finite number (`Number`), bytes (`Binary`), or the SDK shape as it is. */
export type MessageAttributeInput = string | number | Uint8Array | AttributeValue;
export type MessageAttributes = Record<string, MessageAttributeInput>;

export interface MappedAttributes {
  values: Record<string, AttributeValue> | undefined;
  /** Bytes the service counts: name, data type and value of each attribute. */
  bytes: number;
}

export const NO_ATTRIBUTES: MappedAttributes = Object.freeze({ values: undefined, bytes: 0 });

// AWS: letters, digits, `_`, `-`, `.`; no leading/trailing dot, no `..`; `AWS.`/`Amazon.` are reserved.
const NAME = /^[A-Za-z0-9_-](?:[A-Za-z0-9_.-]{0,254}[A-Za-z0-9_-])?$/;
const RESERVED = /^(aws|amazon)\./i;
const DATA_TYPE = /^(String|Number|Binary)(\..+)?$/;

/**
 * Maps simple values to SDK attribute values and validates names and types, counting their size the
 * way the service does. Binary values count in their base64 wire form, which is never below AWS's count.
 */
export function mapMessageAttributes(input: MessageAttributes | undefined, maxCount = MAX_MESSAGE_ATTRIBUTES): MappedAttributes {
  if (input === undefined) return NO_ATTRIBUTES;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new PublisherOptionsError('messageAttributes must be an object of name -> value', 'messageAttributes');
  }
  const names = Object.keys(input);
  if (names.length === 0) return NO_ATTRIBUTES;
  if (names.length > maxCount) {
    throw new PublisherOptionsError(`messageAttributes has ${names.length} attributes; at most ${maxCount} are allowed`, 'messageAttributes');
  }
  const values: Record<string, AttributeValue> = {};
  let bytes = 0;
  for (const name of names) {
    const option = `messageAttributes.${name}`;
    if (!NAME.test(name) || name.includes('..') || RESERVED.test(name)) {
      throw new PublisherOptionsError(
        `invalid message attribute name '${name}': use up to 256 letters, digits, '_', '-' or '.', not starting or ending with '.', no '..', no AWS./Amazon. prefix`,
        option,
      );
    }
    const value = toAttributeValue(input[name], option);
    values[name] = value;
    bytes += attributeBytes(name, value);
  }
  return { values, bytes };
}

function toAttributeValue(value: MessageAttributeInput | undefined, option: string): AttributeValue {
  if (typeof value === 'string') {
    if (value === '') throw new PublisherOptionsError(`${option} is an empty string; AWS requires a value`, option);
    return { DataType: 'String', StringValue: value };
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new PublisherOptionsError(`${option} must be a finite number, got ${value}`, option);
    return { DataType: 'Number', StringValue: String(value) };
  }
  if (value instanceof Uint8Array) {
    if (value.length === 0) throw new PublisherOptionsError(`${option} is empty bytes; AWS requires a value`, option);
    return { DataType: 'Binary', BinaryValue: value };
  }
  if (value !== null && typeof value === 'object' && typeof value.DataType === 'string') {
    const type = DATA_TYPE.exec(value.DataType)?.[1];
    if (type === undefined) {
      throw new PublisherOptionsError(`${option}.DataType must be String, Number or Binary (optionally with a .suffix), got '${value.DataType}'`, option);
    }
    const ok = type === 'Binary' ? value.BinaryValue instanceof Uint8Array : typeof value.StringValue === 'string' && value.StringValue !== '';
    if (!ok) {
      throw new PublisherOptionsError(`${option} of type ${value.DataType} needs a ${type === 'Binary' ? 'BinaryValue' : 'non-empty StringValue'}`, option);
    }
    return value;
  }
  throw new PublisherOptionsError(`${option} must be a string, a number, a Uint8Array or { DataType, StringValue | BinaryValue }`, option);
}



/**
 * Adds the MEGA routing attributes (docs/filter-policies.md) to a MEGA payload's attributes, so
 * SNS and Lambda filters can route JSON and BSON bodies alike. They count against the limit of 10:
 * past it SNS would drop the message on raw delivery, so the publish is refused instead.
 */
export function withRoutingAttributes(payload: unknown, mapped: MappedAttributes): MappedAttributes {
  if (!isPlainObject(payload) || !isMegaTagged(payload)) return mapped;
  const event = payload.event as { name?: unknown; domain?: unknown; version?: unknown };
  const routing: Record<string, AttributeValue> = { [ROUTING_ATTRIBUTE_NAMES.name]: { DataType: 'String', StringValue: String(event.name) } };
  if (typeof event.domain === 'string' && event.domain !== '') routing[ROUTING_ATTRIBUTE_NAMES.domain] = { DataType: 'String', StringValue: event.domain };
  routing[ROUTING_ATTRIBUTE_NAMES.version] = { DataType: 'Number', StringValue: String(event.version ?? 1) };
  const given = Object.keys(mapped.values ?? {});
  const clash = given.find((name) => name.startsWith(ROUTING_PREFIX));
  if (clash !== undefined) {
    throw new PublisherOptionsError(`message attribute '${clash}' uses the '${ROUTING_PREFIX}' prefix of the routing attributes; rename it, or publish with routingAttributes: false`, `messageAttributes.${clash}`);
  }
  const added = Object.keys(routing);
  if (given.length + added.length > MAX_MESSAGE_ATTRIBUTES) throw new TooManyAttributesError(given.length, added.length, MAX_MESSAGE_ATTRIBUTES);
  let bytes = mapped.bytes;
  for (const name of added) {
    const value = routing[name] as AttributeValue;
    bytes += attributeBytes(name, value);
  }
  return { values: { ...mapped.values, ...routing }, bytes };
}
