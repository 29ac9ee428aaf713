/**
 * Instants for comparing Date patterns with Dates and ISO-8601 strings. An instant is whole
 * epoch milliseconds plus the digits below the millisecond, so `"...22.1234Z"` is later than a
 * Date at `.123` without rounding.
 */
export interface Instant {
  readonly ms: number;
  /** Fraction-of-a-millisecond digits, no trailing zeros ('' for none). */
  readonly sub: string;
}

// Calendar date, optional time (separator T, t or space; seconds and fraction optional), then
// an optional offset: Z, +hh, +hhmm or +hh:mm. No offset means UTC.
const ISO =
  /^(\d{4}|[+-]\d{6})-(\d\d)-(\d\d)(?:[Tt ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d{1,30}))?)?(Z|z|[+-]\d\d(?::?\d\d)?)?)?$/;

const MAX_ISO_LENGTH = 64;

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Parses an ISO-8601 date or date-time; undefined when the string is not one. */
export function parseInstant(text: string): Instant | undefined {
  if (text.length > MAX_ISO_LENGTH) return undefined;
  const m = ISO.exec(text);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4] ?? 0);
  const minute = Number(m[5] ?? 0);
  const second = Number(m[6] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const fraction = (m[7] ?? '').padEnd(3, '0');
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || 0);
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const ms =
    daysFromCivil(year, month, day) * 86_400_000 +
    hour * 3_600_000 +
    (minute - offsetMinutes) * 60_000 +
    second * 1000 +
    Number(fraction.slice(0, 3));
  return { ms, sub: fraction.slice(3).replace(/0+$/, '') };
}

export function instantOfDate(date: Date): Instant | undefined {
  const ms = date.getTime();
  return Number.isNaN(ms) ? undefined : { ms, sub: '' };
}

export function compareInstant(a: Instant, b: Instant): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  return a.sub === b.sub ? 0 : a.sub > b.sub ? 1 : -1;
}
