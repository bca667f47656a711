// Strategic merge patch (`application/strategic-merge-patch+json`), the
// default of `kubectl patch` and what client-side `kubectl apply` sends for
// core kinds. Like a JSON merge patch, except that lists whose schema says
// `x-kubernetes-patch-strategy: merge` merge item by item (by
// `x-kubernetes-patch-merge-key`, or by value for scalars), and the patch may
// carry directives: `$patch` (replace / delete / merge), `$retainKeys`,
// `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>`.
// Where the schema knows nothing (open objects), lists simply replace.

import { badRequest } from '../api/errors.js';
import { clone, isPlainObject, own } from '../api/object.js';
import { checkUntrusted, FORBIDDEN_KEY } from '../api/untrusted-json.js';
import { requireObjectPatch } from './merge-patch.js';
import { fieldSchema, itemsSchema, patchMeta, rootSchema } from './schema-lookup.js';
import type { PatchMeta, Schema } from './schema-lookup.js';
import { checkSetOrder, enforceOrder, keyBy } from './smp-order.js';

type JsonMap = Record<string, unknown>;

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder/';
const DELETE_PRIMITIVES = '$deleteFromPrimitiveList/';

const badPatchType = (directive: unknown, m: unknown) => badRequest(`Unknown patch type: ${String(directive)} in map: ${JSON.stringify(m)}`);
const noMergeKey = (m: unknown, key: string) => badRequest(`map: ${JSON.stringify(m)} does not contain declared merge key: ${key}`);

/**
 * Applies `patch` to a copy of `original` using `schema` (a definition's body
 * schema; metadata is known built in). Neither input is modified.
 */
export function applyStrategicMergePatch(original: unknown, patch: unknown, schema?: Schema): JsonMap {
  const checked = requireObjectPatch(patch);
  checkUntrusted(checked, 'error decoding patch: ');
  const p = clone(checked);
  const base = isPlainObject(original) ? clone(original) : {};
  return mergeMap(base, p, rootSchema(schema)) ?? {};
}

/** Merges `patch` into `orig` in place; undefined means the map is deleted. */
function mergeMap(orig: JsonMap, patch: JsonMap, s: Schema | undefined): JsonMap | undefined {
  if (Object.hasOwn(patch, PATCH)) {
    const directive = patch[PATCH];
    delete patch[PATCH];
    if (directive === 'delete') return undefined;
    if (directive === 'replace') return mergeMap({}, patch, s);
    if (directive !== 'merge') throw badPatchType(directive, patch);
  }
  retainKeys(orig, patch);
  setElementOrder(orig, patch, s);
  for (const [k, pv] of Object.entries(patch)) {
    if (k.startsWith(DELETE_PRIMITIVES)) {
      deleteFromPrimitiveList(orig, k.slice(DELETE_PRIMITIVES.length), pv);
      continue;
    }
    const merged = pv === null ? undefined : mergeValue(own(orig, k), pv, fieldSchema(s, k));
    if (merged === undefined) delete orig[k];
    else orig[k] = merged;
  }
  return orig;
}

function mergeValue(ov: unknown, pv: unknown, s: Schema | undefined): unknown {
  const meta = patchMeta(s);
  if (isPlainObject(pv)) return mergeMap(isPlainObject(ov) && meta.strategy !== 'replace' ? ov : {}, pv, s);
  if (Array.isArray(pv) && meta.strategy === 'merge') return mergeList(Array.isArray(ov) ? ov : [], pv, s, meta);
  return pv;
}

function elementKind(lists: unknown[][]): 'map' | 'scalar' | undefined {
  let kind: 'map' | 'scalar' | undefined;
  for (const list of lists) {
    for (const item of list) {
      if (Array.isArray(item)) throw badRequest('lists of lists are not supported');
      const k = isPlainObject(item) ? 'map' : 'scalar';
      if (kind && kind !== k) throw badRequest(`list element types are not identical: ${JSON.stringify(lists)}`);
      kind = k;
    }
  }
  return kind;
}

function mergeList(orig: unknown[], patch: unknown[], s: Schema | undefined, meta: PatchMeta): unknown[] {
  const kind = elementKind([orig, patch]);
  if (kind === undefined) return orig;
  if (kind === 'scalar') {
    const key = keyBy();
    const seen = new Set<string>();
    const merged = [...orig, ...patch].filter((v) => {
      const k = key(v)!;
      return seen.has(k) ? false : (seen.add(k), true);
    });
    return enforceOrder(merged, patch, orig, key);
  }
  const mergeKey = meta.mergeKey;
  if (!mergeKey) throw badRequest('cannot merge lists without merge key');
  const items = itemsSchema(s);
  const key = keyBy(mergeKey);

  let base = orig;
  const plain: JsonMap[] = [];
  let replace = false;
  for (const p of patch as JsonMap[]) {
    if (!Object.hasOwn(p, PATCH)) {
      plain.push(p);
      continue;
    }
    const directive = p[PATCH];
    if (directive === 'delete') {
      const k = key(p);
      if (k === undefined) throw noMergeKey(p, mergeKey);
      base = base.filter((o) => key(o) !== k);
    } else if (directive === 'replace') replace = true;
    else if (directive === 'merge') throw badRequest('merging lists cannot yet be specified in the patch');
    else throw badPatchType(directive, p);
  }
  if (replace) return plain.map((p) => mergeMap({}, p, items) ?? {});

  const live = base;
  base = [...base];
  const at = new Map<string, number>();
  base.forEach((o, i) => {
    const k = key(o);
    if (k !== undefined && !at.has(k)) at.set(k, i);
  });
  for (const p of plain) {
    const k = key(p);
    if (k === undefined) throw noMergeKey(p, mergeKey);
    const i = at.get(k);
    if (i === undefined) {
      at.set(k, base.length);
      base.push(mergeMap({}, p, items) ?? {});
    } else {
      base[i] = mergeMap(base[i] as JsonMap, p, items) ?? {};
    }
  }
  return enforceOrder(base, plain, live, key);
}

/** `$retainKeys`: drop every live key not listed; the patch may only touch listed keys. */
function retainKeys(orig: JsonMap, patch: JsonMap): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw badRequest('invalid patch format of retainKeys');
  const keep = new Set(list.map(String));
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_PRIMITIVES) || k.startsWith(SET_ORDER)) continue;
    if (!keep.has(k)) throw badRequest('invalid patch format of retainKeys');
  }
  for (const k of Object.keys(orig)) if (!keep.has(k)) delete orig[k];
}

/** `$setElementOrder/<list>`: merge that list now, then impose the given order. */
function setElementOrder(orig: JsonMap, patch: JsonMap, s: Schema | undefined): void {
  for (const directiveKey of Object.keys(patch)) {
    if (!directiveKey.startsWith(SET_ORDER)) continue;
    const order = patch[directiveKey];
    const field = directiveKey.slice(SET_ORDER.length);
    delete patch[directiveKey];
    if (!Array.isArray(order) || !field || field === FORBIDDEN_KEY) throw badRequest('invalid patch format of setElementOrder list');
    const pv = own(patch, field);
    if (pv === null) continue; // the list itself is being deleted
    if (pv !== undefined && !Array.isArray(pv)) throw badRequest('invalid patch format of setElementOrder list');
    const live = own(orig, field);
    const ov = Array.isArray(live) ? (live as unknown[]) : undefined;
    if (!ov && !pv) continue;
    const cs = fieldSchema(s, field);
    const mergeKey = patchMeta(cs).mergeKey;
    const maps = [...(ov ?? []), ...(pv ?? []), ...order].some(isPlainObject);
    const key = keyBy(maps ? mergeKey : undefined);
    checkSetOrder(pv ?? [], order, key);
    const merged = pv ? (mergeValue(ov, pv, cs) as unknown[]) : ov!;
    delete patch[field];
    orig[field] = maps && !mergeKey ? merged : enforceOrder(merged, order, ov ?? [], key);
  }
}

function deleteFromPrimitiveList(orig: JsonMap, field: string, values: unknown): void {
  if (!Array.isArray(values) || !field || field === FORBIDDEN_KEY) throw badRequest('invalid patch format of primitive list');
  const list = own(orig, field);
  if (!Array.isArray(list)) return;
  const key = keyBy();
  const drop = new Set(values.map((v) => key(v)));
  orig[field] = list.filter((v) => !drop.has(key(v)));
}
