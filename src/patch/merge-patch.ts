// RFC 7386 JSON merge patch (`application/merge-patch+json`): objects merge
// key by key, `null` deletes, everything else (arrays included) replaces.
// This is what kubectl sends for custom kinds, which carry no merge hints.
// Keys are data: the target is read through own keys only, and a patch with
// a `__proto__` key is refused before anything is merged.

import { badRequest } from '../api/errors.js';
import { clone, isPlainObject, own } from '../api/object.js';
import { checkUntrusted } from '../api/untrusted-json.js';

/** Names the JSON type the way Go's decoder does in its error messages. */
export function jsonTypeName(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

/** A patch body must be a JSON object; kube answers 400 before touching the target. */
export function requireObjectPatch(patch: unknown): Record<string, unknown> {
  if (isPlainObject(patch)) return patch;
  if (patch === null || patch === undefined) throw badRequest('Invalid JSON Patch');
  throw badRequest(`error decoding patch: json: cannot unmarshal ${jsonTypeName(patch)} into Go value of type map[string]interface {}`);
}

/** Applies `patch` to a copy of `target`; neither input is modified. */
export function applyMergePatch(target: unknown, patch: unknown): Record<string, unknown> {
  const p = requireObjectPatch(patch);
  checkUntrusted(p, 'error decoding patch: ');
  const base = isPlainObject(target) ? clone(target) : {};
  return mergeInto(base, p);
}

function mergeInto(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  for (const [k, pv] of Object.entries(patch)) {
    if (pv === null) {
      delete target[k];
    } else if (isPlainObject(pv)) {
      const tv = own(target, k);
      target[k] = mergeInto(isPlainObject(tv) ? tv : {}, pv);
    } else {
      // Arrays and scalars replace; copy so the result never aliases the patch.
      target[k] = typeof pv === 'object' ? clone(pv) : pv;
    }
  }
  return target;
}
