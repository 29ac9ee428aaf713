import type { Decoded } from '../codec/decoded.js';
import type { Mismatch } from '../match/compile.js';
import { bindSubscriber, type Binding } from './binding.js';
import { NO_OBJECT } from './event-subscriber.js';
import { MessageSubscriber, type SubscriberClass } from './subscriber.js';

/** One match field's verdict. */
export interface FieldExplanation {
  /** The field as declared (`name`, `eventAttributes`, `pattern`...). */
  field: string;
  matched: boolean;
  /** Where it first fails: path (from the field), expected, actual. */
  mismatch?: Mismatch;
}

/** Why a subscriber does or does not match a decoded message. */
export interface Explanation {
  subscriber: string;
  matched: boolean;
  /** Set when the subscriber does not look at this message at all, or something beyond its fields decided. */
  reason?: string;
  /** Every declared field, matched or not, in the order they are checked. */
  fields: FieldExplanation[];
}

const KIND_NAMES = { mega: 'a MEGA event', data: 'a data object', plaintext: 'plaintext', binary: 'binary' } as const;

/**
 * Says why `subscriber` does or does not match `decoded`: for each field, matched or the first
 * failing path with expected vs actual. Compiles the subscriber's patterns if it was never
 * registered (and so throws PatternError for a malformed one).
 */
export function explain(subscriber: MessageSubscriber | SubscriberClass, decoded: Decoded): Explanation {
  const binding = bindSubscriber(subscriber instanceof MessageSubscriber ? subscriber : new subscriber());
  const name = binding.name;
  if (decoded.kind === 'invalid') {
    return { subscriber: name, matched: false, reason: `the message is invalid: ${decoded.error.message}`, fields: [] };
  }
  if (!binding.kinds.includes(decoded.kind)) {
    const wants = binding.kinds.map((k) => KIND_NAMES[k]).join(' or ');
    return { subscriber: name, matched: false, reason: `${name} only sees ${wants}; this message is ${KIND_NAMES[decoded.kind]}`, fields: [] };
  }
  let input: unknown;
  try {
    input = binding.input(decoded.payload);
  } catch (error) {
    return { subscriber: name, matched: true, reason: `transform threw (the message would be FATAL_ERROR): ${String(error)}`, fields: [] };
  }
  if (input === undefined) return { subscriber: name, matched: false, reason: 'transform returned undefined (not this subscriber\'s message)', fields: [] };
  const fields = binding.rules.map((rule) => explainRule(rule, input));
  const matched = fields.every((f) => f.matched);
  if (!matched) return { subscriber: name, matched, fields };
  return acceptsVerdict(binding, decoded, fields);
}

function explainRule(rule: Binding['rules'][number], input: unknown): FieldExplanation {
  const value = rule.select(input);
  if (value === NO_OBJECT) {
    return { field: rule.field, matched: false, mismatch: { path: rule.field, expected: 'a payload with an object', actual: undefined } };
  }
  const mismatch = rule.compiled.explain(value);
  return mismatch === undefined ? { field: rule.field, matched: true } : { field: rule.field, matched: false, mismatch };
}

function acceptsVerdict(binding: Binding, decoded: Decoded, fields: FieldExplanation[]): Explanation {
  try {
    if (binding.subscriber.accepts(decoded)) return { subscriber: binding.name, matched: true, fields };
    return { subscriber: binding.name, matched: false, reason: 'its accepts() returned false', fields };
  } catch (error) {
    return { subscriber: binding.name, matched: true, reason: `its accepts() threw (the message would be FATAL_ERROR): ${String(error)}`, fields };
  }
}
