// Checks shared by Secret and ConfigMap data: key format, base64 payloads,
// total size, and the `immutable` flag's effect on updates.

import { fieldError, type FieldError } from '../errors.js';
import { deepEqual, isPlainObject, type KObject } from '../object.js';
import { invalidEach, key } from '../validation/field.js';
import { isConfigMapKey } from '../validation/names.js';

/** Secrets and ConfigMaps may hold at most 1 MiB of data. */
export const MAX_DATA_SIZE = 1024 * 1024;

/** Go's base64.StdEncoding error for malformed input, or undefined when valid. Newlines are skipped as Go does. */
export function base64Error(text: string): string | undefined {
  let n = 0;
  let pad = 0;
  let pos = 0;
  for (; pos < text.length; pos++) {
    const c = text[pos];
    if (c === '\n' || c === '\r') continue;
    if (c === '=') {
      if (n % 4 < 2) return `illegal base64 data at input byte ${pos}`;
      pad++;
      n++;
      continue;
    }
    if (pad > 0 || !/[A-Za-z0-9+/]/.test(c)) return `illegal base64 data at input byte ${pos}`;
    n++;
  }
  if (n % 4 !== 0) return `illegal base64 data at input byte ${Math.max(0, pos - (n % 4 === 1 ? 1 : 0))}`;
  return undefined;
}

/** Decoded byte length of valid base64. */
export const base64Size = (text: string) => Buffer.from(text, 'base64').length;

/** Validates a map of keys; `base64` values are checked and measured decoded. Returns errors and byte total. */
export function validateDataMap(map: unknown, path: string, base64: boolean): { errs: FieldError[]; size: number } {
  const errs: FieldError[] = [];
  let size = 0;
  if (!isPlainObject(map)) return { errs, size };
  for (const [k, v] of Object.entries(map)) {
    errs.push(...invalidEach(key(path, k), k, isConfigMapKey(k)));
    const text = typeof v === 'string' ? v : '';
    if (base64) {
      const bad = base64Error(text);
      if (bad) errs.push(fieldError.invalid(key(path, k), '<secret contents redacted>', bad));
      else size += base64Size(text);
    } else size += Buffer.byteLength(text);
  }
  return { errs, size };
}

/** With `immutable: true`, the flag and the listed data fields may not change. */
export function validateImmutableData(obj: KObject, old: KObject, fields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push(fieldError.forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) {
    if (!deepEqual(obj[f] ?? {}, old[f] ?? {})) errs.push(fieldError.forbidden(f, 'field is immutable when `immutable` is set'));
  }
  return errs;
}
