/**
 * A registered subscriber in compiled form: its match fields read once from the instance and
 * compiled, the constraints its patterns put on payloads (for the candidate index), and how to
 * turn a matching message into what `process` receives.
 */
import type { ZodType } from 'zod';
import type { Decoded } from '../codec/decoded.js';
import type { Constraint } from '../match/candidate-index.js';
import { constraintsOf } from '../match/candidate-index.js';
import { compile, type CompiledPattern } from '../match/compile.js';
import { PatternError } from '../match/errors.js';
import type { MegaPayload } from '../protocol/types.js';
import { BinarySubscriber, DataSubscriber, PlaintextSubscriber } from './data-subscribers.js';
import { MatchError, PayloadSchemaError, SubscriberRegistrationError } from './errors.js';
import { EVENT_FIELDS, EventSubscriber, NO_OBJECT } from './event-subscriber.js';
import { RuleCache } from './rule-cache.js';
import { MessageSubscriber, subscriberName } from './subscriber.js';

export type PayloadKind = 'mega' | 'data' | 'plaintext' | 'binary';

/** One compiled match field. */
export interface FieldRule {
  /** The field as the subscriber declared it (`name`, `eventName`, `pattern`...). */
  readonly field: string;
  /** Picks the field's value out of the payload (or the transformed payload); NO_OBJECT when absent. */
  readonly select: (payload: unknown) => unknown;
  readonly compiled: CompiledPattern;
  /** Where the field sits in `decoded.payload`, when the rules see the payload itself (not a transform). */
  readonly path?: readonly string[];
  /** The pattern, when it is a bare string or boolean: a value that is exactly it makes the rule certain. */
  readonly literal?: string | boolean;
}

/** The outcome of asking a binding about a message: not wanted, wanted (with the input for `process`), or failed. */
export type Evaluation = undefined | { readonly input: unknown } | { readonly error: Error };

export interface Binding {
  readonly subscriber: MessageSubscriber;
  readonly name: string;
  /** The payload kinds the subscriber sees. */
  readonly kinds: readonly PayloadKind[];
  readonly rules: readonly FieldRule[];
  /** What the rules require of `decoded.payload` (empty when a transform stands in between). */
  readonly constraints: readonly Constraint[];
  /** The payload as the rules see it and `process` receives it; `undefined` means "not mine". May throw. */
  readonly input: (payload: unknown) => unknown;
  /** The subscriber's own `accepts`, when it overrides the default (which takes everything). */
  readonly accepts?: (decoded: Decoded) => boolean;
  /** Validates the input against the subscriber's schema, when it has one; resolves to what `process` receives. */
  readonly validate?: (input: unknown) => Promise<unknown>;
}

type Transform = (payload: never) => unknown;

const sharedRules = new RuleCache<FieldRule>();
const ALL_KINDS: readonly PayloadKind[] = ['mega', 'data', 'plaintext', 'binary'];
const compiledBindings = new WeakMap<MessageSubscriber, Binding>();

/** Compiles a subscriber's rules (once per instance). Throws PatternError or SubscriberRegistrationError. */
export function bindSubscriber(subscriber: MessageSubscriber): Binding {
  let binding = compiledBindings.get(subscriber);
  if (binding === undefined) {
    binding = compileBinding(subscriber);
    compiledBindings.set(subscriber, binding);
  }
  return binding;
}

function compileBinding(subscriber: MessageSubscriber): Binding {
  return { ...compileRules(subscriber), accepts: ownAccepts(subscriber) };
}

// Read once here: calling a method on thousands of distinct subscriber classes at dispatch time
// would be a megamorphic lookup per candidate.
function ownAccepts(subscriber: MessageSubscriber): ((decoded: Decoded) => boolean) | undefined {
  const accepts = subscriber.accepts.bind(subscriber);
  return subscriber.accepts === MessageSubscriber.prototype.accepts ? undefined : accepts;
}

// Fields that belong to another kind of subscriber: silently ignoring them would hide a mistake
// (a `schema` on an EventSubscriber would validate nothing).
const MISPLACED: ReadonlyArray<[abstract new () => MessageSubscriber, string, string]> = [
  [EventSubscriber, 'pattern', 'EventSubscriber matches with its event fields (name, domain, attributes...), not `pattern`'],
  [EventSubscriber, 'schema', 'EventSubscriber validates `event.attributes` with `attributesSchema`, not `schema`'],
  [DataSubscriber, 'attributesSchema', 'DataSubscriber validates the payload with `schema`, not `attributesSchema`'],
  [PlaintextSubscriber, 'schema', 'PlaintextSubscriber has no `schema`; validate in `transform`'],
  [BinarySubscriber, 'schema', 'BinarySubscriber has no `schema`; validate in `transform`'],
];

function compileRules(subscriber: MessageSubscriber): Binding {
  const name = subscriberName(subscriber);
  const fields = subscriber as unknown as Record<string, unknown>;
  for (const [type, field, problem] of MISPLACED) {
    if (subscriber instanceof type && fields[field] !== undefined) throw new SubscriberRegistrationError(name, problem);
  }
  if (subscriber instanceof EventSubscriber) {
    const rules: FieldRule[] = [];
    const constraints: Constraint[] = [];
    for (const spec of EVENT_FIELDS) {
      const field = fields[spec.field] !== undefined ? spec.field : spec.alias;
      if (field === undefined || fields[field] === undefined) continue;
      const pattern = fields[field];
      const select = spec.select as (payload: unknown) => unknown;
      const path = spec.path;
      const literal = typeof pattern === 'string' || typeof pattern === 'boolean' ? pattern : undefined;
      rules.push(sharedRules.get(`event:${field}`, pattern, () => ({ field, select, compiled: compileField(name, field, pattern), path, literal })));
      constraints.push(...constraintsOf(pattern, spec.path));
    }
    const schema = schemaField(name, fields, 'attributesSchema');
    const validate =
      schema === undefined
        ? undefined
        : async (input: unknown) => {
            const payload = input as MegaPayload;
            const attributes = await parseWith(schema, payload.event.attributes, name, 'event.attributes');
            // A copy: other subscribers of the same message must keep seeing the payload as decoded.
            return { ...payload, event: { ...payload.event, attributes } };
          };
    return { subscriber, name, kinds: ['mega'], rules, constraints, input: identity, validate };
  }
  if (subscriber instanceof DataSubscriber) {
    const rules = patternRule(name, fields, true);
    const constraints = fields.pattern === undefined ? [] : constraintsOf(fields.pattern);
    const schema = schemaField(name, fields, 'schema');
    const validate = schema === undefined ? undefined : (input: unknown) => parseWith(schema, input, name, '');
    return { subscriber, name, kinds: ['data'], rules, constraints, input: identity, validate };
  }
  if (subscriber instanceof PlaintextSubscriber || subscriber instanceof BinarySubscriber) {
    const transform = (subscriber.transform as Transform).bind(subscriber) as (payload: unknown) => unknown;
    const kind = subscriber instanceof PlaintextSubscriber ? 'plaintext' : 'binary';
    const rules = patternRule(name, fields, false);
    return { subscriber, name, kinds: [kind], rules, constraints: [], input: transform };
  }
  return { subscriber, name, kinds: ALL_KINDS, rules: [], constraints: [], input: identity };
}

/** Whether the binding wants the message; never throws (a throwing predicate, transform or `accepts` is an error). */
export function evaluate(binding: Binding, decoded: Decoded): Evaluation {
  if (decoded.kind === 'invalid' || !binding.kinds.includes(decoded.kind)) return undefined;
  let stage = 'transform';
  try {
    const input = binding.input(decoded.payload);
    if (input === undefined) return undefined;
    stage = 'matching';
    for (const rule of binding.rules) {
      const value = rule.select(input);
      if (value === NO_OBJECT || !rule.compiled(value)) return undefined;
    }
    stage = 'accepts';
    return binding.accepts === undefined || binding.accepts(decoded) ? { input } : undefined;
  } catch (cause) {
    return { error: new MatchError(binding.name, stage, { cause }) };
  }
}

const identity = <T>(value: T): T => value;
const selectRoot = (payload: unknown): unknown => payload;

function patternRule(name: string, fields: Record<string, unknown>, onPayload: boolean): FieldRule[] {
  if (fields.pattern === undefined) return [];
  const pattern = fields.pattern;
  const make = (): FieldRule => {
    const rule = { field: 'pattern', select: selectRoot, compiled: compileField(name, 'pattern', pattern) };
    return onPayload ? { ...rule, path: [] } : rule;
  };
  return [sharedRules.get(onPayload ? 'data:pattern' : 'raw:pattern', pattern, make)];
}

/**
 * The binding to use when the candidate index found it through an exact string or boolean key of
 * `filedUnder`: without the rule that this key makes certain (typically `name = 'item.added'`).
 */
export function narrowBinding(binding: Binding, filedUnder: Constraint): Binding {
  if (filedUnder.keys.length !== 1) return binding;
  const key = filedUnder.keys[0];
  const at = filedUnder.path.join('\u0000');
  const certain = binding.rules.findIndex((r) => r.literal !== undefined && r.literal === key && r.path?.join('\u0000') === at);
  return certain < 0 ? binding : { ...binding, rules: binding.rules.filter((_, i) => i !== certain) };
}

function compileField(name: string, field: string, pattern: unknown): CompiledPattern {
  try {
    return compile(pattern, field);
  } catch (error) {
    if (!(error instanceof PatternError)) throw error;
    // Name the subscriber too: `ItemAdded.attributes.quantity: gt() needs ...`.
    const prefix = `${error.path}: `;
    const problem = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    throw new PatternError(`${name}.${error.path}`, problem, { cause: error });
  }
}

function schemaField(name: string, fields: Record<string, unknown>, field: string): ZodType | undefined {
  const schema = fields[field];
  if (schema === undefined) return undefined;
  if (typeof (schema as { safeParseAsync?: unknown } | null)?.safeParseAsync !== 'function') {
    throw new SubscriberRegistrationError(name, `${field} must be a zod schema`);
  }
  return schema as ZodType;
}

async function parseWith(schema: ZodType, value: unknown, name: string, base: string): Promise<unknown> {
  const result = await schema.safeParseAsync(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = [base, ...(issue?.path ?? []).map(String)].filter((p) => p !== '').join('.');
  throw new PayloadSchemaError(name, path, issue?.message ?? result.error.message, { cause: result.error });
}
