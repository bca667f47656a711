// Range bounds for prefix scans. SQLite compares TEXT with memcmp on UTF-8,
// which is code point order, so the smallest string above every string that
// starts with `prefix` is `prefix` with its last code point incremented.

/** Any BLOB sorts after every TEXT value in SQLite: an "infinite" upper bound. */
const NO_UPPER_BOUND = Buffer.from([0xff]);

export function prefixUpperBound(prefix: string): string | Buffer {
  const last = prefix.charCodeAt(prefix.length - 1);
  if (last < 0xd7ff) return prefix.slice(0, -1) + String.fromCharCode(last + 1);
  if (prefix.length === 0) return NO_UPPER_BOUND;
  const points = Array.from(prefix);
  while (points.length > 0) {
    const cp = points.pop()!.codePointAt(0)!;
    if (cp < 0x10ffff) {
      // Surrogate code points cannot be encoded; the next valid one is U+E000.
      const next = cp + 1 >= 0xd800 && cp + 1 < 0xe000 ? 0xe000 : cp + 1;
      return points.join('') + String.fromCodePoint(next);
    }
  }
  return NO_UPPER_BOUND;
}

/** Byte-order comparison of two keys, as SQLite and etcd order them. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
