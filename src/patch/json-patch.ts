// RFC 6902 JSON patch (`application/json-patch+json`). Errors follow
// kube-apiserver: a body that is not a list of operations is 400; an operation
// that cannot be applied (failed test, missing path, unknown op) is 422 Invalid
// with kube's generic message; more than 10000 operations is 413.
// Pointers are resolved through own keys only, before each operation runs, so
// `/data/constructor` names a ConfigMap key and never Object.prototype's
// constructor; a pointer through `__proto__` is a 400.

import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { ApiError, badRequest, tooLarge } from '../api/errors.js';
import { clone, isPlainObject } from '../api/object.js';
import { checkUntrusted, FORBIDDEN_KEY } from '../api/untrusted-json.js';
import { jsonTypeName } from './merge-patch.js';

export const MAX_JSON_PATCH_OPERATIONS = 10000;

/** The 422 kube-apiserver returns for any JSON patch that fails to apply. */
export const jsonPatchFailed = () =>
  new ApiError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});

const unescape = (seg: string) => seg.replace(/~1/g, '/').replace(/~0/g, '~');

/**
 * Checks a pointer against the document as it is now: every step must be an
 * own key (or an array index in range); the last one too unless the operation
 * creates it (`add`, and the target of `move`/`copy`).
 */
function checkPointer(doc: unknown, pointer: unknown, creates: boolean): void {
  if (typeof pointer !== 'string') throw jsonPatchFailed();
  if (pointer === '') return;
  if (!pointer.startsWith('/')) throw jsonPatchFailed();
  const segs = pointer.slice(1).split('/').map(unescape);
  if (segs.includes(FORBIDDEN_KEY)) {
    throw badRequest(`the JSON patch path ${JSON.stringify(pointer)} is not allowed: the key "${FORBIDDEN_KEY}" is not accepted`);
  }
  let cur = doc;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    const last = i === segs.length - 1;
    if (Array.isArray(cur)) {
      if (last && creates && seg === '-') return;
      if (!/^(0|[1-9][0-9]*)$/.test(seg)) throw jsonPatchFailed();
      const idx = Number(seg);
      if (idx > cur.length || (idx === cur.length && !(last && creates))) throw jsonPatchFailed();
      cur = cur[idx];
    } else if (isPlainObject(cur)) {
      if (!Object.hasOwn(cur, seg)) {
        if (last && creates) return;
        throw jsonPatchFailed();
      }
      cur = cur[seg];
    } else throw jsonPatchFailed();
  }
}

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
  checkUntrusted(ops, 'error decoding patch: ');
  let doc: unknown = clone(target);
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i] as Record<string, unknown>;
    if (op.op === 'move' || op.op === 'copy') checkPointer(doc, op.from, false);
    checkPointer(doc, op.path, op.op === 'add' || op.op === 'move' || op.op === 'copy');
    try {
      // Values are copied in, so later operations never alias the request body.
      const operation = (Object.hasOwn(op, 'value') ? { ...op, value: clone(op.value) } : op) as unknown as Operation;
      doc = jsonpatch.applyOperation(doc, operation, true, true, true, i).newDocument;
    } catch {
      throw jsonPatchFailed();
    }
  }
  // A patch may replace the whole document (path ""); the result must still be an object.
  if (!isPlainObject(doc)) throw jsonPatchFailed();
  return doc;
}
