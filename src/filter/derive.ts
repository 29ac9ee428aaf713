/**
 * From a pattern to what SNS can check at one key, never narrower: every value the pattern matches
 * passes the derived matchers. Works on the DSL values as written (the compiled form is closures).
 * Anything the filter syntax cannot say widens the key to "no constraint", with the reason.
 */
import { typeName } from '../match/describe.js';
import { PatternFunction } from '../match/pattern.js';
import { NOTHING, UNCONSTRAINED, dedupe, equality, widened, type Derived, type FieldKind, type Matcher } from './matchers.js';
import { literalPrefix } from './regex-prefix.js';

export function derive(pattern: unknown, kind: FieldKind): Derived {
  if (pattern instanceof PatternFunction) return deriveFunction(pattern, kind);
  switch (typeof pattern) {
    case 'string':
      if (kind === 'number') return NOTHING;
      return { matchers: [{ t: 'eq', v: pattern }], exact: kind === 'string', why: kind === 'string' ? undefined : 'a filter value also matches an array holding it' };
    case 'number':
      if (kind === 'number') return { matchers: [equality(pattern)], exact: true };
      return widened(`${pattern} also matches numeric strings such as "${pattern}"; a filter cannot say that`);
    case 'bigint':
      if (kind === 'number' && Number.isSafeInteger(Number(pattern))) return { matchers: [equality(Number(pattern))], exact: true };
      return widened('a bigint pattern cannot be written as a filter number');
    case 'boolean':
      return kind === 'unknown' ? { matchers: [{ t: 'eq', v: pattern }], exact: false, why: 'a filter value also matches an array holding it' } : NOTHING;
    case 'function':
      return widened('a predicate function cannot be expressed in a filter');
    default:
  }
  if (pattern === null) return kind === 'unknown' ? widened('null cannot be matched reliably by a filter') : NOTHING;
  if (pattern instanceof Date) return widened('Date patterns compare instants; a filter cannot');
  if (pattern instanceof RegExp) return deriveRegExp(pattern, kind);
  if (Array.isArray(pattern)) {
    // Against a scalar a bare array means "one of"; against an array value, "the same items".
    if (kind === 'unknown') return widened('an array pattern also matches array values as sets; a filter cannot say that');
    return union(pattern.map((p) => derive(p, kind)));
  }
  if (typeName(pattern) === 'object') return kind === 'unknown' ? widened('a nested pattern under an operator cannot be expressed') : NOTHING;
  return widened(`a ${typeName(pattern)} pattern cannot be expressed`);
}

function deriveFunction(fn: PatternFunction, kind: FieldKind): Derived {
  const args = fn.args;
  switch (fn.operator) {
    case 'eq':
      return derive(args[0], kind);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return ordering(fn.operator, args[0], kind);
    case 'match': {
      const operand = args[0];
      if (typeof operand === 'string') return regex(operand, kind);
      if (operand instanceof RegExp) return deriveRegExp(operand, kind);
      return derive(operand, kind);
    }
    case 'oneOf':
    case 'or':
      return union(args.map((a) => derive(a, kind)));
    case 'and':
      return intersect(args.map((a) => derive(a, kind)));
    case 'not':
      return negate(derive(args[0], kind), kind);
    case 'any':
      // `exists` needs a non-null, non-empty value: fine for routing strings and numbers only.
      return kind === 'unknown' ? widened('any() also matches null and "", which `exists` does not') : { matchers: [{ t: 'exists' }], exact: true };
    case 'empty':
      return kind === 'unknown' ? widened('empty() cannot be expressed in a filter') : NOTHING;
    default:
      return widened(`${String(fn.operator)}() cannot be expressed`);
  }
}

function ordering(op: 'gt' | 'gte' | 'lt' | 'lte', operand: unknown, kind: FieldKind): Derived {
  if (kind !== 'number') return widened(`${op}() also compares numeric strings (and Dates); a filter cannot`);
  const n = typeof operand === 'number' ? operand : typeof operand === 'bigint' || typeof operand === 'string' ? Number(operand) : NaN;
  if (!Number.isFinite(n)) return widened(`${op}() of this operand cannot be written as a filter number`);
  // A decimal string operand is compared exactly; rounded to a double, the bound stays inclusive.
  const exact = typeof operand === 'number';
  const incl = op === 'gte' || op === 'lte' || !exact;
  const m: Matcher = op === 'gt' || op === 'gte' ? { t: 'range', lo: n, loIncl: incl } : { t: 'range', hi: n, hiIncl: incl };
  return { matchers: [m], exact, why: exact ? undefined : `${op}() of a decimal string is kept inclusive` };
}

function deriveRegExp(re: RegExp, kind: FieldKind): Derived {
  if (kind === 'number') return NOTHING; // a regular expression only matches strings
  if (/[im]/.test(re.flags)) return widened(`${String(re)}: flags i/m cannot be kept by a prefix`);
  if (re.source.startsWith('^')) return regex(re.source.slice(1), kind);
  if (re.sticky) return regex(re.source, kind);
  return widened(`${String(re)} is not anchored at the start, so it has no prefix`);
}

function regex(source: string, kind: FieldKind): Derived {
  if (kind === 'number') return NOTHING;
  const { prefix, exact } = literalPrefix(source);
  if (prefix === '') return widened(`match(${JSON.stringify(source)}) has no literal prefix`);
  return { matchers: [{ t: 'prefix', v: prefix }], exact, why: exact ? undefined : `match(${JSON.stringify(source)}) kept as prefix "${prefix}"` };
}

function union(parts: readonly Derived[]): Derived {
  const exact = parts.every((p) => p.exact);
  const why = parts.find((p) => p.why !== undefined)?.why;
  if (parts.some((p) => p.matchers === undefined)) return { matchers: undefined, exact, why };
  return { matchers: dedupe(parts.flatMap((p) => p.matchers ?? [])), exact, why };
}

function intersect(parts: readonly Derived[]): Derived {
  const empty = parts.find((p) => p.matchers !== undefined && p.matchers.length === 0);
  if (empty !== undefined) return empty;
  const constrained = parts.filter((p) => p.matchers !== undefined);
  if (constrained.length === 0) return union(parts);
  const ranges = constrained.every((p) => p.matchers?.length === 1 && p.matchers[0]?.t === 'range');
  if (ranges) {
    const range = constrained.map((p) => p.matchers?.[0] as Extract<Matcher, { t: 'range' }>).reduce(narrowRange);
    const exact = parts.every((p) => p.exact);
    return { matchers: isEmptyRange(range) ? [] : [range], exact, why: parts.find((p) => p.why !== undefined)?.why };
  }
  // Any one operand is a sound filter for the conjunction: keep the one with the fewest values.
  const best = constrained.reduce((a, b) => ((b.matchers?.length ?? 0) < (a.matchers?.length ?? 0) ? b : a));
  const exact = constrained.length === 1 && parts.every((p) => p.exact);
  return { matchers: best.matchers, exact, why: exact ? undefined : (best.why ?? 'and() kept one operand a filter can express') };
}

type Range = Extract<Matcher, { t: 'range' }>;

function narrowRange(a: Range, b: Range): Range {
  let { lo, loIncl, hi, hiIncl } = a;
  if (b.lo !== undefined && (lo === undefined || b.lo > lo || (b.lo === lo && !b.loIncl))) ({ lo, loIncl } = b);
  if (b.hi !== undefined && (hi === undefined || b.hi < hi || (b.hi === hi && !b.hiIncl))) ({ hi, hiIncl } = b);
  return { t: 'range', lo, loIncl, hi, hiIncl };
}

function isEmptyRange(r: Range): boolean {
  if (r.lo === undefined || r.hi === undefined) return false;
  return r.lo > r.hi || (r.lo === r.hi && !(r.loIncl === true && r.hiIncl === true));
}

function negate(inner: Derived, kind: FieldKind): Derived {
  const ms = inner.matchers;
  if (ms === undefined || !inner.exact) return widened(inner.why ?? 'not() of a pattern a filter cannot express exactly');
  if (ms.length === 0) return UNCONSTRAINED;
  // Over data fields anything-but would also drop arrays and objects that not() accepts.
  if (kind === 'unknown') return widened('not() over a data field cannot be expressed (anything-but drops arrays and objects)');
  if (ms.every((m) => m.t === 'exists')) return NOTHING;
  if (kind === 'string' && ms.every((m) => m.t === 'eq' && typeof m.v === 'string')) {
    return { matchers: [{ t: 'but', v: ms.map((m) => (m as { v: string }).v) }], exact: true };
  }
  if (kind === 'number' && ms.every((m) => m.t === 'range')) {
    const ranges = ms as readonly Range[];
    if (ranges.every((r) => r.lo !== undefined && r.lo === r.hi)) return { matchers: [{ t: 'butNumber', v: ranges.map((r) => r.lo as number) }], exact: true };
    if (ranges.length === 1) return { matchers: complement(ranges[0] as Range), exact: true };
  }
  return widened('not() of this pattern cannot be expressed');
}

function complement(r: Range): Matcher[] {
  const out: Matcher[] = [];
  if (r.lo !== undefined) out.push({ t: 'range', hi: r.lo, hiIncl: r.loIncl !== true });
  if (r.hi !== undefined) out.push({ t: 'range', lo: r.hi, loIncl: r.hiIncl !== true });
  return out;
}
