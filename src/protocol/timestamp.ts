import { MegaSchemaError } from './errors.js';

// Our own ISO-8601 reader rather than `new Date(string)`: the built-in one reads a date-time
// without an offset as *local* time, which would make the Python implementation's naive UTC
// timestamps ("2020-05-04T15:53:27.823000") depend on the process time zone.
// Accepted: a date (`2020-05-04`, midnight UTC), or a date and time separated by `T`, `t` or a
// space, minutes required, seconds and any number of fractional digits optional (read to the
// millisecond, the rest truncated), then `Z`, `±HH:MM`, `±HHMM`, `±HH` or nothing (UTC).
// Years are four digits, or six with a sign as `Date.prototype.toISOString` writes them.
const ISO_8601 =
  /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysIn(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

// Character codes of the fixed parts of `YYYY-MM-DDTHH:MM:SS.sssZ`.
const DASH = 0x2d;
const COLON = 0x3a;
const DOT = 0x2e;
const T = 0x54;
const Z = 0x5a;

/** The value of `count` decimal digits at `at`, or -1 when one of them is not a digit. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * The form `Date.prototype.toISOString` writes (`2020-05-04T15:53:27.823Z`), which is what most
 * messages carry, read without the regex and its match array. Undefined for anything else
 * (including years below 100, which Date.UTC would shift); the general reader then decides.
 */
function parseCanonicalInstant(text: string): number | undefined {
  if (text.length !== 24) return undefined;
  if (text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH || text.charCodeAt(10) !== T || text.charCodeAt(13) !== COLON) return undefined;
  if (text.charCodeAt(16) !== COLON || text.charCodeAt(19) !== DOT || text.charCodeAt(23) !== Z) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  const millis = digits(text, 20, 3);
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || millis < 0) return undefined;
  return daysSinceEpoch(year, month, day) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1_000 + millis;
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (the civil-from-days arithmetic of H. Hinnant's
 * date algorithms): what Date.UTC computes for years from 100 on, in a few integer steps instead of
 * a call that costs about as much as the rest of the parse.
 */
function daysSinceEpoch(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Milliseconds since the epoch for an ISO-8601 string, or undefined when it is not one. */
export function parseIsoInstant(text: string): number | undefined {
  const canonical = parseCanonicalInstant(text);
  if (canonical !== undefined) return canonical;
  const m = ISO_8601.exec(text);
  if (m === null) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const offsetHours = Number(m[10]);
    const offsetMins = m[11] === undefined ? 0 : Number(m[11]);
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, millis));
  date.setUTCFullYear(year);
  const instant = date.getTime() - offsetMinutes * 60_000;
  return Number.isNaN(new Date(instant).getTime()) ? undefined : instant;
}

/**
 * Reads a MEGA timestamp: a `Date` (BSON datetimes arrive as one) or an ISO-8601 string.
 * Always returns a new `Date`; throws a MegaSchemaError at `path` otherwise.
 */
export function parseTimestamp(value: unknown, path = 'event.timestamp'): Date {
  if (value instanceof Date) {
    const time = value.getTime();
    if (!Number.isNaN(time)) return new Date(time);
    throw new MegaSchemaError(`${path}: expected a valid date, got an invalid Date`, path);
  }
  if (typeof value === 'string') {
    const instant = parseIsoInstant(value);
    if (instant !== undefined) return new Date(instant);
    const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
    throw new MegaSchemaError(`${path}: expected an ISO-8601 timestamp, got ${JSON.stringify(shown)}`, path);
  }
  const got = value === undefined ? 'nothing' : value === null ? 'null' : typeof value;
  throw new MegaSchemaError(`${path}: expected an ISO-8601 timestamp or a Date, got ${got}`, path);
}
