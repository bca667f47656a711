// Timestamps read as kube-apiserver reads them and stored as it writes them.
// A metav1.Time is parsed with Go's time.Parse(RFC3339) and written back in
// UTC with whole seconds (`2024-05-01T10:00:00Z`); a MicroTime keeps six
// fractional digits. Clients send other spellings (the Python client writes
// `+00:00` offsets and drops zero microseconds), so a stored value must be
// re-spelled, and a value Go cannot parse is refused with Go's message rather
// than stored for every other reader to trip over.

import { goQuote } from './go-quote.js';

export type TimePrecision = 'seconds' | 'micro';

const LAYOUT = '2006-01-02T15:04:05Z07:00';

/** A parsed timestamp: seconds since the epoch (UTC) and the fractional digits as written. */
export interface ParsedTime {
  epochSeconds: number;
  fraction: string;
}

const isDigit = (s: string, i: number) => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;

const isLeap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const daysIn = (month: number, year: number) => (month === 2 && isLeap(year) ? 29 : DAYS[month - 1]);

/** Seconds since the epoch of a UTC calendar time (Date.UTC would read years below 100 as 19xx). */
function utcSeconds(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime() / 1000;
}

/**
 * Go's time.Parse(time.RFC3339, value), element by element as Go's parser
 * goes, so a failure names the same element Go names. Returns the parsed time
 * or Go's error text.
 */
export function parseRfc3339(value: string): ParsedTime | string {
  const cannot = (rest: string, elem: string) => `parsing time ${goQuote(value)} as ${goQuote(LAYOUT)}: cannot parse ${goQuote(rest)} as ${goQuote(elem)}`;
  const outOfRange = (what: string) => `parsing time ${goQuote(value)}: ${what} out of range`;
  let v = value;
  /** A two-digit number (one digit allowed when not fixed), as Go's getnum. */
  const num = (fixed: boolean): number | undefined => {
    if (!isDigit(v, 0)) return undefined;
    if (!isDigit(v, 1)) {
      if (fixed) return undefined;
      const n = v.charCodeAt(0) - 48;
      v = v.slice(1);
      return n;
    }
    const n = Number(v.slice(0, 2));
    v = v.slice(2);
    return n;
  };
  const literal = (p: string) => {
    if (!v.startsWith(p)) return false;
    v = v.slice(p.length);
    return true;
  };

  if (v.length < 4 || !/^\d{4}/.test(v)) return cannot(v, '2006');
  const year = Number(v.slice(0, 4));
  v = v.slice(4);
  if (!literal('-')) return cannot(v, '-');
  let hold = v;
  const month = num(true);
  if (month === undefined) return cannot(hold, '01');
  if (month < 1 || month > 12) return outOfRange('month');
  if (!literal('-')) return cannot(v, '-');
  hold = v;
  const day = num(true);
  if (day === undefined) return cannot(hold, '02');
  if (!literal('T')) return cannot(v, 'T');
  hold = v;
  const hour = num(false);
  if (hour === undefined) return cannot(hold, '15');
  if (hour >= 24) return outOfRange('hour');
  if (!literal(':')) return cannot(v, ':');
  hold = v;
  const minute = num(true);
  if (minute === undefined) return cannot(hold, '04');
  if (minute >= 60) return outOfRange('minute');
  if (!literal(':')) return cannot(v, ':');
  hold = v;
  const second = num(true);
  if (second === undefined) return cannot(hold, '05');
  if (second >= 60) return outOfRange('second');
  // Go accepts a fractional second after the seconds even where the layout has none.
  let fraction = '';
  if (v.length >= 2 && (v[0] === '.' || v[0] === ',') && isDigit(v, 1)) {
    let i = 1;
    while (isDigit(v, i)) i++;
    fraction = v.slice(1, i);
    v = v.slice(i);
  }
  let offsetMinutes = 0;
  hold = v;
  if (v.startsWith('Z')) v = v.slice(1);
  else {
    if (v.length < 6 || v[3] !== ':' || (v[0] !== '+' && v[0] !== '-') || !/^\d\d$/.test(v.slice(1, 3)) || !/^\d\d$/.test(v.slice(4, 6))) return cannot(hold, 'Z07:00');
    const hh = Number(v.slice(1, 3));
    const mm = Number(v.slice(4, 6));
    if (hh > 24) return outOfRange('time zone offset hour');
    if (mm > 60) return outOfRange('time zone offset minute');
    offsetMinutes = (v[0] === '-' ? -1 : 1) * (hh * 60 + mm);
    v = v.slice(6);
  }
  if (v !== '') return `parsing time ${goQuote(value)}: extra text: ${goQuote(v)}`;
  if (day < 1 || day > daysIn(month, year)) return outOfRange('day');
  const epochSeconds = utcSeconds(year, month, day, hour, minute, second) - offsetMinutes * 60;
  return { epochSeconds, fraction };
}

/** How kube writes a parsed time back: UTC, whole seconds, or six fractional digits for a MicroTime. */
export function formatTime(t: ParsedTime, precision: TimePrecision): string {
  const base = new Date(t.epochSeconds * 1000).toISOString().slice(0, 19);
  return precision === 'micro' ? `${base}.${(t.fraction + '000000').slice(0, 6)}Z` : `${base}Z`;
}

/** The canonical spelling of `value`, or Go's parse error as an Error. */
export function canonicalTime(value: string, precision: TimePrecision): string {
  const t = parseRfc3339(value);
  if (typeof t === 'string') throw new Error(t);
  return formatTime(t, precision);
}
