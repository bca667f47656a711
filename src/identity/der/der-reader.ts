// Reading DER just far enough to find the fields issuance needs (a CSR's
// public key and signature, a CA's subject and key identifier). Every read is
// bounds-checked against its parent, so a malformed request fails with a
// DerError instead of reading past its own bytes.

export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

/** One element: `start` is its first header byte, `value..end` its content. */
export interface Tlv {
  tag: number;
  start: number;
  value: number;
  end: number;
}

/** Reads the element at `off`, which must end by `limit`. */
export function readTlv(buf: Uint8Array, off: number, limit = buf.length): Tlv {
  if (off + 2 > limit) throw new DerError('truncated DER element');
  const tag = buf[off]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte DER tags are not supported');
  let len = buf[off + 1]!;
  let value = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3) throw new DerError('unsupported DER length');
    if (value + n > limit) throw new DerError('truncated DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | buf[value + i]!;
    value += n;
  }
  const end = value + len;
  if (end > limit) throw new DerError('DER element runs past its container');
  return { tag, start: off, value, end };
}

/** The elements inside a constructed element. */
export function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let off = parent.value; off < parent.end; ) {
    const t = readTlv(buf, off, parent.end);
    out.push(t);
    off = t.end;
  }
  return out;
}

/** Reads the element at `off` and checks its tag. */
export function expect(buf: Uint8Array, off: number, tag: number, what: string, limit = buf.length): Tlv {
  const t = readTlv(buf, off, limit);
  if (t.tag !== tag) throw new DerError(`${what}: expected tag 0x${tag.toString(16)}, found 0x${t.tag.toString(16)}`);
  return t;
}

/** The whole element (header included) as a view into `buf`. */
export const whole = (buf: Buffer, t: Tlv) => buf.subarray(t.start, t.end);
/** The content of an element as a view into `buf`. */
export const content = (buf: Buffer, t: Tlv) => buf.subarray(t.value, t.end);

/** Dotted form of an OBJECT IDENTIFIER's content. */
export function decodeOid(bytes: Uint8Array): string {
  const arcs: number[] = [];
  let v = 0;
  for (const b of bytes) {
    v = v * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) arcs.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else arcs.push(v);
      v = 0;
    }
  }
  return arcs.join('.');
}

/** The bytes of a BIT STRING's content that has no unused bits (keys and signatures). */
export function bitStringBytes(buf: Buffer, t: Tlv, what: string): Buffer {
  if (t.tag !== 0x03 || t.end - t.value < 1 || buf[t.value] !== 0) throw new DerError(`${what}: not a whole-byte BIT STRING`);
  return buf.subarray(t.value + 1, t.end);
}
