/**
 * `filterPolicyFor`: the SNS subscription filter policy that lets through every message at least
 * one of the subscribers wants (never narrower), as tight as SNS's syntax and limits allow.
 */
import { assemble, display, type FlatBranch, type SubscriberInput } from './assemble.js';
import { KEY_SEPARATOR, type Scope, type Widening } from './branches.js';
import { writeMatchers } from './sns-values.js';

export type { Scope, Widening } from './branches.js';
export type { SubscriberInput } from './assemble.js';

export interface FilterPolicyOptions {
  /** Where SNS looks: the routing message attributes (default) or the JSON body. */
  scope?: Scope;
}

/** A filter policy as SNS takes it (JSON). `{}` means no filtering. */
export type FilterPolicy = { [key: string]: unknown };

export interface FilterPolicyResult {
  policy: FilterPolicy;
  scope: Scope;
  /** True when the policy passes exactly the messages the subscribers want (of the shapes the protocol defines). */
  exact: boolean;
  /** What the policy lets through beyond the subscribers' patterns, and why. */
  widened: Widening[];
  /** What must hold of the publishers for the policy to drop nothing wanted. */
  requires: string[];
}

/** SNS's limits on a filter policy. */
export const SNS_POLICY_LIMITS = { keys: 5, combinations: 150, bytes: 256 * 1024 } as const;

export const SCOPE_REQUIREMENTS: Record<Scope, string> = {
  MessageAttributes:
    'every message carries at least one message attribute: SNS drops a message without any attributes under any attribute policy. sqs-mega publishers write the mega.* routing attributes on MEGA payloads (routingAttributes, on by default); MEGA payloads from other publishers pass when they carry some other attribute',
  MessageBody:
    'every message body is a JSON object: SNS cannot look inside BSON (binaryEncoding), base64 or text bodies and drops them under a body policy',
};

export function filterPolicyFor(subscribers: readonly SubscriberInput[], options: FilterPolicyOptions = {}): FilterPolicyResult {
  const scope = options.scope ?? 'MessageAttributes';
  if (scope !== 'MessageAttributes' && scope !== 'MessageBody') throw new TypeError(`scope must be MessageAttributes or MessageBody, got ${String(scope)}`);
  let rounded = false;
  const written = (branches: readonly FlatBranch[]): FilterPolicy => {
    const out = writePolicy(branches);
    rounded = out.rounded;
    return out.policy;
  };
  const limits = { check: (branches: readonly FlatBranch[]) => checkSnsLimits(branches, written(branches)) };
  const { branches, exact, widened } = assemble(subscribers, scope, limits);
  if (branches === undefined) return { policy: {}, scope, exact: false, widened, requires: [] };
  const policy = written(branches);
  if (rounded) widened.push({ field: '*', reason: 'numbers beyond +-1e9 or with more than 5 decimals were rounded outwards or dropped' });
  return { policy, scope, exact: exact && !rounded && widened.length === 0, widened, requires: [SCOPE_REQUIREMENTS[scope]] };
}

/** The limit a policy breaks, if any. */
function checkSnsLimits(branches: readonly FlatBranch[], policy: FilterPolicy): string | undefined {
  const keys = new Set(branches.flatMap((b) => [...b.keys()]));
  if (keys.size > SNS_POLICY_LIMITS.keys) return `${keys.size} keys, more than SNS's ${SNS_POLICY_LIMITS.keys}`;
  // With $or, SNS counts each branch's product of value counts, and adds them up.
  const combinations = branches.reduce((sum, b) => sum + [...b.values()].reduce((p, ms) => p * ms.length, 1), 0);
  if (combinations > SNS_POLICY_LIMITS.combinations) return `${combinations} combinations, more than SNS's ${SNS_POLICY_LIMITS.combinations}`;
  const bytes = Buffer.byteLength(JSON.stringify(policy), 'utf8');
  if (bytes > SNS_POLICY_LIMITS.bytes) return `${bytes} bytes, more than SNS's ${SNS_POLICY_LIMITS.bytes}`;
  return undefined;
}

function writePolicy(branches: readonly FlatBranch[]): { policy: FilterPolicy; rounded: boolean } {
  let rounded = false;
  const objects = branches.map((b) => {
    const out: FilterPolicy = {};
    for (const [key, ms] of b) {
      const w = writeMatchers(ms);
      if (w.rounded) rounded = true;
      setPath(out, key.split(KEY_SEPARATOR), w.values);
    }
    return out;
  });
  // `$or` only at the top, each branch written in full: the form every SNS implementation reads.
  const policy = objects.length === 1 ? (objects[0] as FilterPolicy) : { $or: objects };
  return { policy, rounded };
}

export function setPath(target: FilterPolicy, path: readonly string[], value: unknown): void {
  let node = target;
  for (const segment of path.slice(0, -1)) {
    const next = node[segment];
    node = (next ?? (node[segment] = {})) as FilterPolicy;
  }
  node[path[path.length - 1] as string] = value;
}

export { display };
