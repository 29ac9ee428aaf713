/**
 * Writes matchers in the filter syntax SNS and Lambda share, within SNS's number rules: numbers
 * within +-1e9 and five decimals. A bound outside them is rounded outwards or dropped, so the
 * written filter is never narrower than the matchers.
 */
import type { Matcher } from './matchers.js';

const NUMBER_LIMIT = 1e9;
const SCALE = 1e5;

export type FilterValue = string | boolean | Record<string, unknown>;

export interface Written {
  values: FilterValue[];
  /** True when a number had to be rounded outwards or dropped. */
  rounded: boolean;
}

const representable = (n: number): boolean => Math.abs(n) <= NUMBER_LIMIT && Math.round(n * SCALE) / SCALE === n;

export function writeMatchers(matchers: readonly Matcher[]): Written {
  let rounded = false;
  const values = matchers.map((m): FilterValue => {
    switch (m.t) {
      case 'eq':
        return m.v;
      case 'prefix':
        return { prefix: m.v };
      case 'but':
        return { 'anything-but': [...m.v] };
      case 'butNumber': {
        const kept = m.v.filter(representable);
        if (kept.length < m.v.length) rounded = true;
        return kept.length === 0 ? { exists: true } : { 'anything-but': kept };
      }
      case 'exists':
        return { exists: true };
      case 'absent':
        return { exists: false };
      case 'range': {
        const r = writeRange(m);
        if (r.rounded) rounded = true;
        return r.value;
      }
    }
  });
  return { values, rounded };
}

function writeRange(m: Extract<Matcher, { t: 'range' }>): { value: FilterValue; rounded: boolean } {
  if (m.lo !== undefined && m.lo === m.hi && representable(m.lo)) return { value: { numeric: ['=', m.lo] }, rounded: false };
  const ops: (string | number)[] = [];
  let rounded = false;
  if (m.lo !== undefined) {
    const lo = Math.floor(m.lo * SCALE) / SCALE;
    if (Math.abs(lo) > NUMBER_LIMIT) rounded = true;
    else {
      if (lo !== m.lo) rounded = true;
      ops.push(lo !== m.lo || m.loIncl === true ? '>=' : '>', lo);
    }
  }
  if (m.hi !== undefined) {
    const hi = Math.ceil(m.hi * SCALE) / SCALE;
    if (Math.abs(hi) > NUMBER_LIMIT) rounded = true;
    else {
      if (hi !== m.hi) rounded = true;
      ops.push(hi !== m.hi || m.hiIncl === true ? '<=' : '<', hi);
    }
  }
  return { value: ops.length === 0 ? { exists: true } : { numeric: ops }, rounded };
}
