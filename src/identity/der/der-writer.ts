// The DER encoding primitives the leaf-certificate writer needs, and nothing
// more: definite lengths, tag-length-value assembly for the parts computed
// once per CA, OIDs and X.509 times written straight into a buffer. The hot
// path (one certificate per proxy) writes into one preallocated buffer; the
// `tlv` helper that allocates is for precomputation only.

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Context-specific tag `[n]`, constructed or primitive. */
export const contextTag = (n: number, constructed: boolean) => (constructed ? 0xa0 : 0x80) | n;

/** Bytes a DER length takes (up to 16 MiB, far beyond any certificate). */
export function lengthSize(len: number): number {
  return len < 0x80 ? 1 : len < 0x100 ? 2 : len < 0x10000 ? 3 : 4;
}

/** Bytes of a whole TLV with `len` content bytes. */
export const tlvSize = (len: number) => 1 + lengthSize(len) + len;

/** Writes tag and length at `off`; returns the offset of the content. */
export function writeHeader(buf: Uint8Array, off: number, tag: number, len: number): number {
  buf[off++] = tag;
  if (len < 0x80) buf[off++] = len;
  else if (len < 0x100) {
    buf[off++] = 0x81;
    buf[off++] = len;
  } else if (len < 0x10000) {
    buf[off++] = 0x82;
    buf[off++] = len >> 8;
    buf[off++] = len & 0xff;
  } else {
    buf[off++] = 0x83;
    buf[off++] = len >> 16;
    buf[off++] = (len >> 8) & 0xff;
    buf[off++] = len & 0xff;
  }
  return off;
}

/** One TLV around the concatenated parts (allocates: for values computed once). */
export function tlv(tag: number, ...parts: Uint8Array[]): Buffer {
  const len = parts.reduce((n, p) => n + p.length, 0);
  const out = Buffer.allocUnsafe(tlvSize(len));
  let off = writeHeader(out, 0, tag, len);
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export const seq = (...parts: Uint8Array[]) => tlv(TAG.SEQUENCE, ...parts);
export const octets = (...parts: Uint8Array[]) => tlv(TAG.OCTET_STRING, ...parts);
export const DER_TRUE = Buffer.from([TAG.BOOLEAN, 1, 0xff]);
export const DER_NULL = Buffer.from([TAG.NULL, 0]);

/** An OBJECT IDENTIFIER TLV from its dotted form. */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a) || a < 0)) throw new Error(`invalid OID ${dotted}`);
  const bytes: number[] = [];
  const push = (v: number) => {
    const chunk = [v & 0x7f];
    for (v = Math.floor(v / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  };
  push(arcs[0]! * 40 + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return tlv(TAG.OID, Uint8Array.from(bytes));
}

/** A BIT STRING of whole bytes (no unused bits). */
export const bitString = (bytes: Uint8Array) => tlv(TAG.BIT_STRING, Uint8Array.of(0), bytes);

// RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
const YEAR_2050 = Date.UTC(2050, 0, 1);
export const timeSize = (ms: number) => (ms < YEAR_2050 ? 15 : 17);

/** Writes a UTCTime or GeneralizedTime (whole seconds, `Z`) at `off`; returns the next offset. */
export function writeTime(buf: Uint8Array, off: number, ms: number): number {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  const utc = ms < YEAR_2050;
  off = writeHeader(buf, off, utc ? TAG.UTC_TIME : TAG.GENERALIZED_TIME, utc ? 13 : 15);
  if (!utc) off = digits(buf, off, Math.floor(year / 100), 2);
  off = digits(buf, off, year % 100, 2);
  off = digits(buf, off, d.getUTCMonth() + 1, 2);
  off = digits(buf, off, d.getUTCDate(), 2);
  off = digits(buf, off, d.getUTCHours(), 2);
  off = digits(buf, off, d.getUTCMinutes(), 2);
  off = digits(buf, off, d.getUTCSeconds(), 2);
  buf[off++] = 0x5a; // 'Z'
  return off;
}

function digits(buf: Uint8Array, off: number, v: number, n: number): number {
  for (let i = n - 1; i >= 0; i--) {
    buf[off + i] = 0x30 + (v % 10);
    v = Math.floor(v / 10);
  }
  return off + n;
}
