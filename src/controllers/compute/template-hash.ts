// Names derived from a pod template: a short stable hash (pods carry it as a
// label so a roll-out can tell current pods from old ones) and random pod
// name suffixes. Both use kube's "safe" alphabet, which has no vowels (so no
// words) and no look-alike characters.

import { isPlainObject } from '../../api/object.js';

const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with object keys sorted, so equal templates hash equally whatever their key order. */
export function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (isPlainObject(v)) {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function encode(n: number): string {
  let out = '';
  do {
    out += SAFE[n % SAFE.length];
    n = Math.floor(n / SAFE.length);
  } while (n > 0);
  return out;
}

/** Hash of a pod template, e.g. `5d7c9b4f8`; a label value. */
export function templateHash(template: unknown): string {
  return encode(fnv1a32(stableStringify(template)));
}

/** A random suffix of `n` safe characters (pod names: `<workload>-<suffix>`). */
export function randomSuffix(n = 5): string {
  let out = '';
  for (let i = 0; i < n; i++) out += SAFE[Math.floor(Math.random() * SAFE.length)];
  return out;
}
