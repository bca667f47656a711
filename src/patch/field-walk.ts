// Walks objects against their schema to produce field sets: the fields an
// object sets (what an apply configuration claims), and what changed between
// two versions of an object (what an update takes ownership of, or frees).
// Fields the server owns (apiVersion, kind, name, uid, resourceVersion,
// managedFields...) are never part of any set, as in kube's field manager.

import { badRequest } from '../api/errors.js';
import { deepEqual, isPlainObject, own } from '../api/object.js';
import { FieldSet, fieldElement, pathString } from './field-set.js';
import { fieldSchema, isAtomicMap, isDeclaredField, itemsSchema, listShape, rootSchema } from './schema-lookup.js';
import type { ListShape, Schema } from './schema-lookup.js';

type Level = 'root' | 'meta' | undefined;

const ROOT_SKIP = new Set(['apiVersion', 'kind']);
const META_SKIP = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'selfLink',
  'managedFields',
]);

const skip = (level: Level, key: string) => (level === 'root' ? ROOT_SKIP.has(key) : level === 'meta' && META_SKIP.has(key));
const childLevel = (level: Level, key: string): Level => (level === 'root' && key === 'metadata' ? 'meta' : undefined);

/** `metadata` itself is never owned, only fields inside it. */
const METADATA_NODE = (() => {
  const s = new FieldSet();
  s.insert(['f:metadata']);
  return s;
})();

/**
 * The path element naming a list item: `k:{...}` for keyed lists, `v:...` for
 * sets. Strict mode (apply configurations) rejects items without their keys;
 * otherwise such items fall back to their index so ownership still works.
 */
export function itemElement(item: unknown, index: number, shape: ListShape, items: Schema | undefined, strict = false, where: readonly string[] = []): string {
  if (shape.type === 'set') return `v:${JSON.stringify(item)}`;
  if (shape.type === 'map' && isPlainObject(item)) {
    let el = 'k:{';
    for (let i = 0; i < shape.keys.length; i++) {
      const k = shape.keys[i];
      const v = own(item, k) ?? fieldSchema(items, k)?.default;
      if (v === undefined || v === null) {
        if (!strict) return `i:${index}`;
        throw badRequest(
          `failed to create typed patch object: ${pathString(where)}: element ${index}: associative list with keys has an element that omits key field "${k}" (and doesn't have default value)`,
        );
      }
      el += `${i ? ',' : ''}${JSON.stringify(k)}:${JSON.stringify(v)}`;
    }
    return `${el}}`;
  }
  if (strict && shape.type === 'map') throw badRequest(`failed to create typed patch object: ${pathString(where)}: element ${index}: expected a map`);
  return `i:${index}`;
}

/** The fields `obj` sets: leaves, items of keyed lists and sets, entries of maps. */
export function fieldSetOf(obj: unknown, schema?: Schema): FieldSet {
  const root = new FieldSet();
  collect(obj, rootSchema(schema), root, 'root', false, []);
  return root.difference(METADATA_NODE);
}

/** As fieldSetOf, but rejects what an apply configuration may not contain (duplicate or keyless items). */
export function appliedFieldSet(obj: unknown, schema?: Schema): FieldSet {
  const root = new FieldSet();
  collect(obj, rootSchema(schema), root, 'root', true, []);
  return root.difference(METADATA_NODE);
}

function collect(v: unknown, s: Schema | undefined, node: FieldSet, level: Level, strict: boolean, path: string[]): void {
  if (isPlainObject(v) && !(level === undefined && isAtomicMap(s))) {
    for (const [k, cv] of Object.entries(v)) {
      if (skip(level, k)) continue;
      const el = fieldElement(k);
      const child = node.ensure(el);
      path.push(el);
      collect(cv, fieldSchema(s, k), child, childLevel(level, k), strict, path);
      path.pop();
      // Declared fields are owned through their leaves; map entries, nulls and empty objects are owned themselves.
      if (cv === null || (isPlainObject(cv) && Object.keys(cv).length === 0) || !isDeclaredField(s, k)) child.member = true;
      node.dropIfEmpty(el);
    }
  } else if (Array.isArray(v) && listShape(s).type !== 'atomic') {
    const shape = listShape(s);
    const items = itemsSchema(s);
    v.forEach((item, i) => {
      const el = itemElement(item, i, shape, items, strict, path);
      if (strict && node.child(el)?.member) throw badRequest(`failed to create typed patch object: ${pathString(path)}: duplicate entries for key ${pathString([el])}`);
      const child = node.ensure(el);
      path.push(el);
      collect(item, items, child, undefined, strict, path);
      path.pop();
      child.member = true;
    });
  } else {
    node.member = true;
  }
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/**
 * What changed from `before` to `after`: every node only `after` has is added,
 * every node only `before` has is removed, leaves present in both with
 * different values are modified.
 */
export function compareObjects(before: unknown, after: unknown, schema?: Schema): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  diff(before ?? {}, after ?? {}, rootSchema(schema), [], 'root', c);
  return { added: c.added.difference(METADATA_NODE), modified: c.modified, removed: c.removed.difference(METADATA_NODE) };
}

const absent = (v: unknown) => v === undefined || v === null;

function diff(l: unknown, r: unknown, s: Schema | undefined, path: string[], level: Level, c: Comparison): void {
  if (isPlainObject(l) && isPlainObject(r) && !(level === undefined && isAtomicMap(s))) {
    const visit = (k: string) => {
      if (skip(level, k)) return;
      const lv = own(l, k);
      const rv = own(r, k);
      if (absent(lv) && absent(rv)) return;
      path.push(fieldElement(k));
      const cs = fieldSchema(s, k);
      if (absent(lv)) everything(rv, cs, path, c.added, childLevel(level, k));
      else if (absent(rv)) everything(lv, cs, path, c.removed, childLevel(level, k));
      else diff(lv, rv, cs, path, childLevel(level, k), c);
      path.pop();
    };
    for (const k of Object.keys(l)) visit(k);
    for (const k of Object.keys(r)) if (!Object.hasOwn(l, k)) visit(k);
    return;
  }
  const shape = listShape(s);
  if (Array.isArray(l) && Array.isArray(r) && shape.type !== 'atomic') {
    const items = itemsSchema(s);
    const lm = new Map<string, unknown>();
    l.forEach((item, i) => lm.set(itemElement(item, i, shape, items), item));
    const rm = new Map<string, unknown>();
    r.forEach((item, i) => rm.set(itemElement(item, i, shape, items), item));
    for (const [el, li] of lm) {
      path.push(el);
      const ri = rm.get(el);
      if (rm.has(el)) diff(li, ri, items, path, undefined, c);
      else everything(li, items, path, c.removed, undefined);
      path.pop();
    }
    for (const [el, ri] of rm) {
      if (lm.has(el)) continue;
      path.push(el);
      everything(ri, items, path, c.added, undefined);
      path.pop();
    }
    return;
  }
  if (!deepEqual(l, r)) c.modified.insert(path);
}

/** Inserts `path` and every node beneath it (the whole subtree appeared or vanished). */
function everything(v: unknown, s: Schema | undefined, path: string[], into: FieldSet, level: Level): void {
  into.insert(path);
  if (isPlainObject(v) && !(level === undefined && isAtomicMap(s))) {
    for (const [k, cv] of Object.entries(v)) {
      if (skip(level, k) || absent(cv)) continue;
      path.push(fieldElement(k));
      everything(cv, fieldSchema(s, k), path, into, childLevel(level, k));
      path.pop();
    }
  } else if (Array.isArray(v) && listShape(s).type !== 'atomic') {
    const shape = listShape(s);
    const items = itemsSchema(s);
    v.forEach((item, i) => {
      path.push(itemElement(item, i, shape, items));
      everything(item, items, path, into, undefined);
      path.pop();
    });
  }
}
