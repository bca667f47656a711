// The shape every API object shares, plus small accessors. Objects are plain
// JSON; only `metadata` is typed because the generic machinery reads it.

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: ManagedFieldsEntry[];
  [k: string]: unknown;
}

export interface KObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [k: string]: unknown;
}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `obj[key]` for the object's own keys only. Keys in client data are data:
 * `constructor` or `toString` must never read what Object.prototype holds.
 */
export const own = (obj: Record<string, unknown>, key: string): unknown => (Object.hasOwn(obj, key) ? obj[key] : undefined);

/** Structural equality of JSON values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao);
  if (ak.length !== Object.keys(bo).length) return false;
  for (const k of ak) if (!Object.hasOwn(bo, k) || !deepEqual(ao[k], bo[k])) return false;
  return true;
}

/** Equality of values as JSON would see them: key order ignored, keys holding undefined absent. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let count = 0;
  for (const k of Object.keys(ao)) {
    if (ao[k] === undefined) continue;
    count++;
    if (!jsonEqual(ao[k], own(bo, k))) return false;
  }
  for (const k of Object.keys(bo)) if (bo[k] !== undefined) count--;
  return count === 0;
}

export const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/** Reads a simple JSONPath like `.status.replicas` or `.spec.containers[0].image` or `.metadata.labels.kuma\.io/mesh`. */
export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const seg of splitPath(path)) {
    if (cur === undefined || cur === null) return undefined;
    if (typeof seg === 'number') cur = Array.isArray(cur) ? cur[seg] : undefined;
    else cur = isPlainObject(cur) ? own(cur, seg) : undefined;
  }
  return cur;
}

/** Sets a value at a simple path, creating objects on the way. */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const segs = splitPath(path);
  let cur: Record<string, unknown> | unknown[] = obj;
  for (let i = 0; i < segs.length - 1; i++) {
    const s = segs[i];
    const next = Array.isArray(cur) ? cur[s as number] : own(cur, s as string);
    if (!isPlainObject(next) && !Array.isArray(next)) {
      const created = typeof segs[i + 1] === 'number' ? [] : {};
      (cur as Record<string | number, unknown>)[s as string] = created;
      cur = created as Record<string, unknown>;
    } else cur = next as Record<string, unknown>;
  }
  (cur as Record<string | number, unknown>)[segs[segs.length - 1] as string] = value;
}

const pathCache = new Map<string, (string | number)[]>();
export function splitPath(path: string): (string | number)[] {
  let segs = pathCache.get(path);
  if (segs) return segs;
  segs = [];
  let buf = '';
  let i = path.startsWith('.') ? 1 : 0;
  const flush = () => {
    if (buf !== '') segs!.push(buf);
    buf = '';
  };
  for (; i < path.length; i++) {
    const c = path[i];
    if (c === '\\' && i + 1 < path.length) buf += path[++i];
    else if (c === '.') flush();
    else if (c === '[') {
      flush();
      const end = path.indexOf(']', i);
      const idx = path.slice(i + 1, end);
      segs.push(/^\d+$/.test(idx) ? Number(idx) : idx.replace(/^['"]|['"]$/g, ''));
      i = end;
    } else buf += c;
  }
  flush();
  pathCache.set(path, segs);
  return segs;
}

export const labelsOf = (o: KObject): Record<string, string> => o.metadata.labels ?? {};
export const nowIso = (): string => new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
export const nowMicroIso = (): string => new Date().toISOString().replace(/(\.\d{3})Z$/, '$1000Z');
