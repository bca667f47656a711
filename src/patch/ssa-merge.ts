// The two object operations server-side apply needs: merging an apply
// configuration into the live object (by list type: keyed lists and sets merge
// per item, atomic lists and atomic maps replace), and removing a set of
// fields from an object (the fields an applier stopped applying).

import { clone, isPlainObject, own } from '../api/object.js';
import type { FieldSet } from './field-set.js';
import { itemElement } from './field-walk.js';
import { fieldSchema, isAtomicMap, isMapSchema, itemsSchema, listShape } from './schema-lookup.js';
import type { ListShape, Schema } from './schema-lookup.js';

type JsonMap = Record<string, unknown>;

/** Merges `applied` into `target` in place (target must be a private copy). */
export function mergeApplied(target: JsonMap, applied: JsonMap, s: Schema | undefined): JsonMap {
  for (const [k, av] of Object.entries(applied)) {
    const merged = mergeValue(own(target, k), av, fieldSchema(s, k));
    if (merged === undefined) delete target[k];
    else target[k] = merged;
  }
  return target;
}

/** The merged value, or undefined when the configuration sets null (the field goes). */
function mergeValue(live: unknown, applied: unknown, s: Schema | undefined): unknown {
  if (applied === null || applied === undefined) return undefined;
  if (isPlainObject(applied)) {
    if (isAtomicMap(s)) return clone(applied);
    return mergeApplied(isPlainObject(live) ? live : {}, applied, s);
  }
  if (Array.isArray(applied)) {
    const shape = listShape(s);
    if (shape.type === 'atomic' || !Array.isArray(live)) return clone(applied);
    return mergeList(live, applied, shape, itemsSchema(s));
  }
  return applied;
}

/**
 * Items of the configuration come out in its order; live-only items keep
 * their place relative to the shared items around them.
 */
function mergeList(live: unknown[], applied: unknown[], shape: ListShape, items: Schema | undefined): unknown[] {
  const lKeys = live.map((item, i) => itemElement(item, i, shape, items));
  const aKeys = applied.map((item, i) => itemElement(item, i, shape, items));
  const liveByKey = new Map<string, unknown>();
  lKeys.forEach((k, i) => liveByKey.has(k) || liveByKey.set(k, live[i]));
  const inApplied = new Set(aKeys);
  const emitted = new Set<string>();
  const out: unknown[] = [];
  let ai = 0;
  const emitApplied = () => {
    const k = aKeys[ai];
    const item = shape.type === 'set' ? applied[ai] : mergeValue(liveByKey.get(k), applied[ai], items);
    if (item !== undefined) out.push(item);
    emitted.add(k);
    ai++;
  };
  lKeys.forEach((k, li) => {
    if (!inApplied.has(k)) {
      out.push(live[li]);
      return;
    }
    // A shared item: emit the configuration's items up to and including it.
    while (!emitted.has(k) && ai < applied.length) emitApplied();
  });
  while (ai < applied.length) emitApplied();
  return out;
}

/** Removes every member path of `fields` from `obj` in place; a removed node takes its subtree. */
export function removeFields(obj: JsonMap, fields: FieldSet, s: Schema | undefined): void {
  for (const [el, sub] of fields.children) {
    if (!el.startsWith('f:')) continue;
    const k = el.slice(2);
    if (!Object.hasOwn(obj, k)) continue;
    if (sub.member) {
      delete obj[k];
      continue;
    }
    const cs = fieldSchema(s, k);
    const v = obj[k];
    if (isPlainObject(v)) {
      const had = Object.keys(v).length;
      removeFields(v, sub, cs);
      if (had > 0 && Object.keys(v).length === 0 && isMapSchema(cs)) delete obj[k];
    } else if (Array.isArray(v)) {
      obj[k] = removeItems(v, sub, cs);
    }
  }
}

function removeItems(list: unknown[], fields: FieldSet, s: Schema | undefined): unknown[] {
  const shape = listShape(s);
  if (shape.type === 'atomic') return list;
  const items = itemsSchema(s);
  const out: unknown[] = [];
  list.forEach((item, i) => {
    const sub = fields.child(itemElement(item, i, shape, items));
    if (!sub) out.push(item);
    else if (!sub.member) {
      if (isPlainObject(item)) removeFields(item, sub, items);
      out.push(item);
    }
  });
  return out;
}
