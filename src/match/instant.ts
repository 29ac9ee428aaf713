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

const MAX_ISO_LENGTH = 64;

/** The number spelled by the digits of text[from, to), or -1 if any is not a digit. */
function digits(text: string, from: number, to: number): number {
  if (to > text.length) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

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
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Parses an ISO-8601 date or date-time; undefined when the string is not one. Accepted:
 * `YYYY-MM-DD` (or a signed six-digit year), then optionally a `T`, `t` or space separator,
 * `hh:mm`, `:ss`, a `.` or `,` fraction, and an offset `Z`, `+hh`, `+hhmm` or `+hh:mm`.
 * No offset means UTC. Hand-written (no regex) because it runs for every compared value.
 */
export function parseInstant(text: string): Instant | undefined {
  const length = text.length;
  if (length < 10 || length > MAX_ISO_LENGTH) return undefined;
  let pos = 4;
  let year: number;
  const first = text.charCodeAt(0);
  if (first === 43 || first === 45) {
    // '+' or '-': an expanded six-digit year
    year = digits(text, 1, 7);
    if (year < 0) return undefined;
    if (first === 45) year = -year;
    pos = 7;
  } else if ((year = digits(text, 0, 4)) < 0) return undefined;
  if (text[pos] !== '-' || text[pos + 3] !== '-') return undefined;
  const month = digits(text, pos + 1, pos + 3);
  const day = digits(text, pos + 4, pos + 6);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  pos += 6;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  let sub = '';
  let offset = 0;
  if (pos < length) {
    const sep = text[pos];
    if (sep !== 'T' && sep !== 't' && sep !== ' ') return undefined;
    hour = digits(text, pos + 1, pos + 3);
    if (text[pos + 3] !== ':') return undefined;
    minute = digits(text, pos + 4, pos + 6);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return undefined;
    pos += 6;
    if (text[pos] === ':') {
      second = digits(text, pos + 1, pos + 3);
      if (second < 0 || second > 59) return undefined;
      pos += 3;
      if (text[pos] === '.' || text[pos] === ',') {
        const start = ++pos;
        while (pos < length && text.charCodeAt(pos) >= 48 && text.charCodeAt(pos) <= 57) pos++;
        if (pos === start) return undefined;
        const fraction = text.slice(start, pos);
        ms = digits(fraction.padEnd(3, '0'), 0, 3);
        if (fraction.length > 3) sub = fraction.slice(3).replace(/0+$/, '');
      }
    }
    if (pos < length) {
      const zone = text[pos];
      if (zone === 'Z' || zone === 'z') pos++;
      else if (zone === '+' || zone === '-') {
        const oh = digits(text, pos + 1, pos + 3);
        pos += 3;
        let om = 0;
        if (pos < length) {
          if (text[pos] === ':') pos++;
          om = digits(text, pos, pos + 2);
          pos += 2;
        }
        if (oh < 0 || oh > 23 || om < 0 || om > 59) return undefined;
        offset = (zone === '-' ? -1 : 1) * (oh * 60 + om);
      } else return undefined;
      if (pos !== length) return undefined;
    }
  }
  const epoch =
    daysFromCivil(year, month, day) * 86_400_000 + hour * 3_600_000 + (minute - offset) * 60_000 + second * 1000 + ms;
  return { ms: epoch, sub };
}

export function instantOfDate(date: Date): Instant | undefined {
  const ms = date.getTime();
  return Number.isNaN(ms) ? undefined : { ms, sub: '' };
}

export function compareInstant(a: Instant, b: Instant): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  return a.sub === b.sub ? 0 : a.sub > b.sub ? 1 : -1;
}
