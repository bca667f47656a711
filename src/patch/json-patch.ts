// RFC 6902 JSON patch (`application/json-patch+json`). Errors follow
// kube-apiserver: a body that is not a list of operations is 400; an operation
// that cannot be applied (failed test, missing path, unknown op) is 422 Invalid
// with kube's generic message; more than 10000 operations is 413.

import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { ApiError, badRequest, tooLarge } from '../api/errors.js';
import { isPlainObject } from '../api/object.js';
import { jsonTypeName } from './merge-patch.js';

export const MAX_JSON_PATCH_OPERATIONS = 10000;

/** The 422 kube-apiserver returns for any JSON patch that fails to apply. */
export const jsonPatchFailed = () =>
  new ApiError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});

/** Applies `ops` to a copy of `target` (the input is never mutated). */
export function applyJsonPatch(target: unknown, ops: unknown): Record<string, unknown> {
  if (!Array.isArray(ops)) {
    throw badRequest(`json: cannot unmarshal ${jsonTypeName(ops)} into Go value of type jsonpatch.Patch`);
  }
  const bad = ops.find((op) => !isPlainObject(op));
  if (bad !== undefined) {
    throw badRequest(`json: cannot unmarshal ${jsonTypeName(bad)} into Go value of type jsonpatch.Operation`);
  }
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw tooLarge(`Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`);
  }
  let result: unknown;
  try {
    result = jsonpatch.applyPatch(target, ops as Operation[], true, false).newDocument;
  } catch {
    throw jsonPatchFailed();
  }
  // A patch may replace the whole document (path ""); the result must still be an object.
  if (!isPlainObject(result)) throw jsonPatchFailed();
  return result;
}
