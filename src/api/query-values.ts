// Query strings and their values read the way kube-apiserver (Go) reads them,
// so every client sees the same answer here as from Kubernetes: the query is
// split as Go's url.ParseQuery splits it (a pair with a bad escape is dropped),
// booleans follow apimachinery's conversion (only "false" and "0" are false,
// any other value, even empty, is true), integers follow strconv.ParseInt and
// fail with its message, which kube returns as a 400.

import { badRequest } from './errors.js';
import { goQuote } from './go-quote.js';

export { goQuote };

const HEX = /^[0-9A-Fa-f]{2}$/;

/** Go's url.QueryUnescape / PathUnescape; undefined where Go returns an error. */
export function goUnescape(s: string, mode: 'query' | 'path'): string | undefined {
  if (!s.includes('%') && (mode === 'path' || !s.includes('+'))) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      const hex = s.slice(i + 1, i + 3);
      if (!HEX.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (c === 0x2b && mode === 'query') bytes.push(0x20);
    else if (c < 0x80) bytes.push(c);
    else for (const b of Buffer.from(s[i] + (c >= 0xd800 && c < 0xdc00 ? (s[++i] ?? '') : ''), 'utf8')) bytes.push(b);
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Go's url.ParseQuery (as `req.URL.Query()` uses it): pairs split on `&`, a
 * pair holding `;` or a bad escape is skipped, `+` is a space.
 */
export function parseQuery(raw: string): URLSearchParams {
  const out = new URLSearchParams();
  for (const pair of raw.split('&')) {
    if (pair === '' || pair.includes(';')) continue;
    const eq = pair.indexOf('=');
    const key = goUnescape(eq < 0 ? pair : pair.slice(0, eq), 'query');
    const value = goUnescape(eq < 0 ? '' : pair.slice(eq + 1), 'query');
    if (key === undefined || value === undefined) continue;
    out.append(key, value);
  }
  return out;
}

/** apimachinery's Convert_Slice_string_To_bool: absent is undefined, "false"/"0" (any case) false, anything else true. */
export function queryBool(q: URLSearchParams, name: string): boolean | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  const lower = v.toLowerCase();
  return !(lower === 'false' || lower === '0');
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** Go's strconv.ParseInt(s, 10, 64); throws the NumError message Go would give. */
export function parseInt64(s: string): bigint {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new Error(`strconv.ParseInt: parsing ${goQuote(s)}: invalid syntax`);
  const v = BigInt(s);
  if (v > INT64_MAX || v < INT64_MIN) throw new Error(`strconv.ParseInt: parsing ${goQuote(s)}: value out of range`);
  return v;
}

/** An int64 query parameter (limit, timeoutSeconds, gracePeriodSeconds...); a malformed one is kube's 400. */
export function queryInt64(q: URLSearchParams, name: string): bigint | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  try {
    return parseInt64(v);
  } catch (e) {
    throw badRequest((e as Error).message);
  }
}

/** As queryInt64, as a JS number (exact up to 2^53; beyond it only the magnitude matters to callers). */
export function queryInt64Number(q: URLSearchParams, name: string): number | undefined {
  const v = queryInt64(q, name);
  return v === undefined ? undefined : Number(v);
}
