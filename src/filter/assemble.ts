/**
 * From subscribers to filter branches: derive each, split keys that may be absent into their own
 * branch (SNS's `exists: false` does not mix with values), merge branches that differ in one key,
 * and widen (drop keys, coarsen names) until the result fits a filter's limits.
 */
import { Dispatcher } from '../dispatch/dispatcher.js';
import type { MessageSubscriber, SubscriberClass } from '../dispatch/subscriber.js';
import { deriveSubscriber, KEY_SEPARATOR, type Scope, type Widening } from './branches.js';
import { dedupe, keyOf, type Matcher } from './matchers.js';
import { ROUTING_ATTRIBUTE_NAMES } from './routing-attributes.js';

export type SubscriberInput = SubscriberClass | MessageSubscriber;

/** A flat branch: key path (NUL-joined) -> what its value may be (`absent` alone means missing). */
export type FlatBranch = Map<string, readonly Matcher[]>;

export interface Assembled {
  /** `undefined`: no filtering at all. */
  branches: FlatBranch[] | undefined;
  exact: boolean;
  widened: Widening[];
}

export interface Limits {
  /** Whether the branches fit; otherwise a short reason. */
  check(branches: readonly FlatBranch[]): string | undefined;
}

const ABSENT: readonly Matcher[] = [{ t: 'absent' }];

export function assemble(subscribers: readonly SubscriberInput[], scope: Scope, limits: Limits): Assembled {
  // Registering checks the patterns as a listener would (malformed patterns throw here).
  const dispatcher = new Dispatcher();
  for (const s of subscribers) dispatcher.register(s);
  const widened: Widening[] = [];
  let exact = true;
  let branches: FlatBranch[] = [];
  for (const subscriber of dispatcher.subscribers) {
    const d = deriveSubscriber(subscriber, scope, widened);
    if (d.kind === 'never') continue;
    if (d.kind === 'all') return { branches: undefined, exact: false, widened: [...widened, { field: '*', reason: d.reason }] };
    if (d.branch.size === 0) {
      widened.push({ field: '*', reason: `${subscriberNameOf(subscriber)} constrains nothing a filter can see` });
      return { branches: undefined, exact: false, widened };
    }
    if (!d.exact) exact = false;
    branches.push(...split(d.branch));
  }
  // Messages without routing attributes (older publishers, the Python implementation, routing off).
  if (scope === 'MessageAttributes') branches.push(new Map([[ROUTING_ATTRIBUTE_NAMES.name, ABSENT]]));
  branches = merge(branches);
  return fit(branches, scope, limits, exact, widened);
}

function subscriberNameOf(s: MessageSubscriber): string {
  return s.constructor.name || 'AnonymousSubscriber';
}

function split(branch: ReadonlyMap<string, { matchers: readonly Matcher[]; absent: boolean }>): FlatBranch[] {
  let out: FlatBranch[] = [new Map()];
  for (const [key, cond] of branch) {
    const options: (readonly Matcher[])[] = [];
    if (cond.matchers.length > 0) options.push(cond.matchers);
    if (cond.absent) options.push(ABSENT);
    if (options.length === 0) return [];
    out = out.flatMap((b) => options.map((o) => new Map(b).set(key, o)));
  }
  return out;
}

function sameKeys(a: FlatBranch, b: FlatBranch): boolean {
  if (a.size !== b.size) return false;
  for (const k of a.keys()) if (!b.has(k)) return false;
  return true;
}

/** `a` lets through everything `b` does when each of a's keys is in b with the same condition. */
function subsumes(a: FlatBranch, b: FlatBranch): boolean {
  for (const [k, ms] of a) {
    const other = b.get(k);
    if (other === undefined || keyOf(other) !== keyOf(ms)) return false;
  }
  return true;
}

const isAbsent = (ms: readonly Matcher[]): boolean => ms.some((m) => m.t === 'absent');

export function merge(input: readonly FlatBranch[]): FlatBranch[] {
  const branches = [...input];
  for (let changed = true; changed; ) {
    changed = false;
    outer: for (let i = 0; i < branches.length; i++) {
      for (let j = 0; j < branches.length; j++) {
        if (i === j) continue;
        const a = branches[i] as FlatBranch;
        const b = branches[j] as FlatBranch;
        if (subsumes(a, b)) {
          branches.splice(j, 1);
          changed = true;
          break outer;
        }
        if (!sameKeys(a, b)) continue;
        const differing = [...a.keys()].filter((k) => keyOf(a.get(k) ?? []) !== keyOf(b.get(k) ?? []));
        const key = differing[0];
        if (differing.length !== 1 || key === undefined) continue;
        const x = a.get(key) ?? [];
        const y = b.get(key) ?? [];
        if (isAbsent(x) || isAbsent(y)) continue;
        branches[i] = new Map(a).set(key, dedupe([...x, ...y]));
        branches.splice(j, 1);
        changed = true;
        break outer;
      }
    }
  }
  return branches;
}

const PRIMARY = [ROUTING_ATTRIBUTE_NAMES.name, ['event', 'name'].join(KEY_SEPARATOR)];
const SECONDARY = [ROUTING_ATTRIBUTE_NAMES.domain, ROUTING_ATTRIBUTE_NAMES.version, ...['domain', 'version', 'subject', 'publisher'].map((f) => ['event', f].join(KEY_SEPARATOR))];

/** Keys from the least to the most worth keeping. */
function dropOrder(branches: readonly FlatBranch[]): string[] {
  const uses = new Map<string, number>();
  for (const b of branches) for (const k of b.keys()) uses.set(k, (uses.get(k) ?? 0) + 1);
  const rank = (k: string): number => (PRIMARY.includes(k) ? 3 : SECONDARY.includes(k) ? 2 - SECONDARY.indexOf(k) / 100 : 1 - 1 / (1 + (uses.get(k) ?? 0)));
  return [...uses.keys()].sort((a, b) => rank(a) - rank(b));
}

function fit(start: FlatBranch[], scope: Scope, limits: Limits, exact: boolean, widened: Widening[]): Assembled {
  let branches = start;
  let problem = limits.check(branches);
  if (problem === undefined) return { branches, exact, widened };
  for (const key of dropOrder(branches)) {
    if (PRIMARY.includes(key)) {
      branches = merge(branches.map(coarsen(key)));
      widened.push({ field: display(key), reason: `${problem}: event names kept only up to their first '.' (as prefixes)` });
      problem = limits.check(branches);
      if (problem === undefined) return { branches, exact: false, widened };
    }
    const remaining = branches.map((b) => {
      const c = new Map(b);
      c.delete(key);
      return c;
    });
    widened.push({ field: display(key), reason: `${problem}: key dropped from the filter` });
    if (remaining.some((b) => b.size === 0)) return { branches: undefined, exact: false, widened };
    branches = merge(remaining);
    problem = limits.check(branches);
    if (problem === undefined) return { branches, exact: false, widened };
  }
  void scope;
  return { branches: undefined, exact: false, widened };
}

function coarsen(key: string): (b: FlatBranch) => FlatBranch {
  return (b) => {
    const ms = b.get(key);
    if (ms === undefined) return b;
    const out = ms.map((m): Matcher => {
      if (m.t !== 'eq' || typeof m.v !== 'string') return m;
      const dot = m.v.indexOf('.');
      return dot > 0 ? { t: 'prefix', v: m.v.slice(0, dot + 1) } : m;
    });
    return new Map(b).set(key, dedupe(out));
  };
}

export function display(key: string): string {
  return key.split(KEY_SEPARATOR).join('.');
}
