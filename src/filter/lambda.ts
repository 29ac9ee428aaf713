/**
 * `lambdaFilterCriteriaFor`: the event source mapping FilterCriteria for the Lambda adapter, in the
 * EventBridge pattern syntax over an SQS record's `messageAttributes` or `body`. Same guarantee as
 * the SNS policy: never narrower. Lambda deletes records no filter matches, so this matters as much.
 */
import { assemble, display, merge, type FlatBranch, type SubscriberInput } from './assemble.js';
import { KEY_SEPARATOR, type Widening } from './branches.js';
import { dedupe, type Matcher } from './matchers.js';
import { SCOPE_REQUIREMENTS, setPath, type FilterPolicy, type FilterPolicyOptions } from './policy.js';
import { writeMatchers } from './sns-values.js';

export interface LambdaFilterCriteria {
  Filters?: { Pattern: string }[];
}

export interface LambdaFilterCriteriaResult {
  /** `{}` means no filtering. */
  policy: LambdaFilterCriteria;
  scope: FilterPolicyOptions['scope'] & string;
  exact: boolean;
  widened: Widening[];
  requires: string[];
}

/** Filters per event source mapping (Lambda's default quota). */
const LAMBDA_MAX_FILTERS = 5;

export function lambdaFilterCriteriaFor(subscribers: readonly SubscriberInput[], options: FilterPolicyOptions = {}): LambdaFilterCriteriaResult {
  const scope = options.scope ?? 'MessageAttributes';
  const attributes = scope === 'MessageAttributes';
  const extra: Widening[] = [];
  const prepare = (branches: readonly FlatBranch[]): FlatBranch[] => (attributes ? branches.map((b) => stringValues(b, extra)) : [...branches]);
  const limits = { check: (b: readonly FlatBranch[]) => (prepare(b).length > LAMBDA_MAX_FILTERS ? `${b.length} filters, more than ${LAMBDA_MAX_FILTERS}` : undefined) };
  const assembled = assemble(subscribers, scope, { check: () => undefined });
  const widened = [...assembled.widened];
  if (assembled.branches === undefined) return { policy: {}, scope, exact: false, widened, requires: [] };
  let branches = merge(prepare(assembled.branches));
  if (limits.check(branches) !== undefined) {
    widened.push({ field: '*', reason: `${branches.length} filters, more than Lambda's ${LAMBDA_MAX_FILTERS}: merged into one` });
    // Branches admitting a missing key stay as they are; the others become one.
    const absent = branches.filter((b) => [...b.values()].some((ms) => ms.some((m) => m.t === 'absent')));
    const one = hull(branches.filter((b) => !absent.includes(b)));
    if (one === undefined || absent.length >= LAMBDA_MAX_FILTERS) return { policy: {}, scope, exact: false, widened, requires: [] };
    branches = [one, ...absent];
  }
  widened.push(...dedupeWidening(extra));
  let rounded = false;
  const Filters = branches.map((b) => {
    const pattern: FilterPolicy = {};
    for (const [key, ms] of b) {
      const w = writeMatchers(ms);
      if (w.rounded) rounded = true;
      const path = key.split(KEY_SEPARATOR);
      if (attributes) setPath(pattern, ['messageAttributes', ...path], isAbsentOnly(ms) ? w.values : { stringValue: w.values });
      else setPath(pattern, ['body', ...path], w.values);
    }
    return { Pattern: JSON.stringify(pattern) };
  });
  if (rounded) widened.push({ field: '*', reason: 'numbers rounded outwards or dropped' });
  return { policy: { Filters }, scope, exact: assembled.exact && widened.length === 0, widened, requires: [SCOPE_REQUIREMENTS[scope]] };
}

const isAbsentOnly = (ms: readonly Matcher[]): boolean => ms.length === 1 && ms[0]?.t === 'absent';

// Lambda shows every attribute value as a string (`stringValue`), so numbers match as text only.
function stringValues(b: FlatBranch, widened: Widening[]): FlatBranch {
  const out: FlatBranch = new Map();
  for (const [key, ms] of b) {
    if (ms.every((m) => m.t !== 'range' && m.t !== 'butNumber')) {
      out.set(key, ms);
      continue;
    }
    const exact = ms.every((m) => m.t === 'range' && m.lo !== undefined && m.lo === m.hi && Number.isInteger(m.lo));
    if (exact) out.set(key, ms.map((m) => ({ t: 'eq', v: String((m as { lo: number }).lo) })));
    else widened.push({ field: display(key), reason: 'Lambda sees attribute numbers as strings: numeric ranges cannot be matched' });
  }
  if (out.size === 0) out.set([...b.keys()][0] ?? '', [{ t: 'exists' }]);
  return out;
}

/** One branch letting through everything the given ones do: keys all share, values united. */
function hull(branches: readonly FlatBranch[]): FlatBranch | undefined {
  const first = branches[0];
  if (first === undefined) return undefined;
  const out: FlatBranch = new Map();
  for (const key of first.keys()) {
    const lists = branches.map((b) => b.get(key));
    if (lists.some((l) => l === undefined || l.some((m) => m.t === 'absent'))) continue;
    out.set(key, dedupe(lists.flatMap((l) => l ?? [])));
  }
  return out.size === 0 ? undefined : out;
}

function dedupeWidening(list: readonly Widening[]): Widening[] {
  const seen = new Set<string>();
  return list.filter((w) => !seen.has(w.field + w.reason) && (seen.add(w.field + w.reason), true));
}
