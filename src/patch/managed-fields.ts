// metadata.managedFields: who owns which fields. Entries are decoded into
// field sets keyed by manager identity (manager + operation + subresource, and
// apiVersion for updates, as kube keys them), changed, and encoded back sorted
// the way kube-apiserver sorts them. `updateManagedFields` is the bookkeeping
// for every non-apply write (create, update, patch), so it stays linear in the
// size of the object.

import { deepEqual, isPlainObject } from '../api/object.js';
import type { ManagedFieldsEntry } from '../api/object.js';
import { FieldSet } from './field-set.js';
import { compareObjects } from './field-walk.js';
import type { Schema } from './schema-lookup.js';

export interface Manager {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  subresource?: string;
  fields: FieldSet;
}

export type Managers = Map<string, Manager>;

/** kube caps update entries; older ones are folded into one `ancient-changes` entry. */
export const MAX_UPDATE_MANAGERS = 10;

export const managerId = (m: Pick<Manager, 'manager' | 'operation' | 'apiVersion' | 'subresource'>) =>
  JSON.stringify([m.manager, m.operation, m.operation === 'Apply' ? '' : m.apiVersion, m.subresource ?? '']);

/** How kube names a manager in conflict messages: `"kubectl-scale" with subresource "scale" using apps/v1`. */
export function managerLabel(m: Pick<Manager, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  let s = JSON.stringify(m.manager);
  if (m.subresource) s += ` with subresource ${JSON.stringify(m.subresource)}`;
  if (m.operation === 'Update') s += ` using ${m.apiVersion}`;
  return s;
}

/** Reads managedFields entries; malformed entries are ignored rather than failing the write. */
export function decodeManagedFields(entries: unknown): Managers {
  const out: Managers = new Map();
  if (!Array.isArray(entries)) return out;
  for (const e of entries) {
    if (!isPlainObject(e) || typeof e.manager !== 'string') continue;
    if (e.operation !== 'Apply' && e.operation !== 'Update') continue;
    const m: Manager = {
      manager: e.manager,
      operation: e.operation,
      apiVersion: typeof e.apiVersion === 'string' ? e.apiVersion : '',
      fields: FieldSet.fromFieldsV1(e.fieldsV1),
    };
    if (typeof e.time === 'string') m.time = e.time;
    if (typeof e.subresource === 'string' && e.subresource) m.subresource = e.subresource;
    const id = managerId(m);
    const prev = out.get(id);
    if (prev) prev.fields = prev.fields.union(m.fields);
    else out.set(id, m);
  }
  return out;
}

const seconds = (t?: string) => (t ? Math.floor(Date.parse(t) / 1000) || 0 : 0);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Entries with a non-empty field set, in kube's order: operation, time, manager, apiVersion, subresource. */
export function encodeManagedFields(managers: Iterable<Manager>): ManagedFieldsEntry[] {
  const list = [...managers].filter((m) => !m.fields.empty);
  list.sort(
    (a, b) =>
      cmp(a.operation, b.operation) ||
      seconds(a.time) - seconds(b.time) ||
      cmp(a.manager, b.manager) ||
      cmp(a.apiVersion, b.apiVersion) ||
      cmp(a.subresource ?? '', b.subresource ?? ''),
  );
  // Key order as kube writes it: manager, operation, apiVersion, time, fieldsType, fieldsV1, subresource.
  return list.map((m) => ({
    manager: m.manager,
    operation: m.operation,
    apiVersion: m.apiVersion,
    ...(m.time ? { time: m.time } : {}),
    fieldsType: 'FieldsV1' as const,
    fieldsV1: m.fields.toFieldsV1(),
    ...(m.subresource ? { subresource: m.subresource } : {}),
  }));
}

/** Folds the oldest update entries into `ancient-changes` until at most MAX_UPDATE_MANAGERS remain. */
export function capUpdateManagers(managers: Managers): void {
  const updaters = [...managers.entries()].filter(([, m]) => m.operation === 'Update' && !m.fields.empty);
  const excess = updaters.length - MAX_UPDATE_MANAGERS;
  if (excess <= 0) return;
  updaters.sort(([ia, a], [ib, b]) => seconds(a.time) - seconds(b.time) || cmp(ia, ib));
  const folded = updaters.slice(0, excess + 1);
  const newest = folded[folded.length - 1][1];
  let fields = new FieldSet();
  for (const [id, m] of folded) {
    fields = fields.union(m.fields);
    managers.delete(id);
  }
  const bucket: Manager = { manager: 'ancient-changes', operation: 'Update', apiVersion: newest.apiVersion, time: newest.time, fields };
  const existing = managers.get(managerId(bucket));
  if (existing) existing.fields = existing.fields.union(fields);
  else managers.set(managerId(bucket), bucket);
}

export interface UpdateManagedFieldsOptions {
  /** The stored object before this write; undefined on create. */
  old: object | undefined;
  /** The object about to be stored. Its metadata.managedFields, when non-empty, replace the old ones (clients may edit them; `[{}]` clears them). */
  updated: object;
  manager: string;
  operation?: 'Update';
  subresource?: string;
  /** The definition's body schema. */
  schema?: Schema;
  /** apiVersion the write was made in, e.g. `apps/v1`. */
  apiVersion: string;
  /** RFC 3339 time for the writer's entry, e.g. `2024-05-01T10:00:00Z`. */
  now: string;
}

const managedFieldsOf = (o: unknown): unknown => (isPlainObject(o) && isPlainObject(o.metadata) ? o.metadata.managedFields : undefined);

/**
 * managedFields after a non-apply write: the writer takes every field it added
 * or changed (others lose them), removed fields leave every set, and managers
 * left with nothing are dropped. A write that changes nothing keeps entries as
 * they were, times included.
 */
export function updateManagedFields(o: UpdateManagedFieldsOptions): ManagedFieldsEntry[] {
  const provided = managedFieldsOf(o.updated);
  let source = managedFieldsOf(o.old);
  if (!o.subresource && Array.isArray(provided) && provided.length > 0) {
    if (provided.length === 1 && deepEqual(provided[0], {})) return [];
    source = provided;
  }
  const managers = decodeManagedFields(source);
  const c = compareObjects(o.old, o.updated, o.schema);
  const changed = c.modified.union(c.added);
  const writer: Manager = { manager: o.manager, operation: 'Update', apiVersion: o.apiVersion, fields: new FieldSet() };
  if (o.subresource) writer.subresource = o.subresource;
  const id = managerId(writer);
  for (const [mid, m] of managers) {
    m.fields = (mid === id ? m.fields : m.fields.difference(changed)).difference(c.removed);
  }
  if (!changed.empty) {
    const prev = managers.get(id);
    writer.fields = prev ? prev.fields.union(changed) : changed;
    writer.time = o.now;
    managers.set(id, writer);
  }
  capUpdateManagers(managers);
  return encodeManagedFields(managers.values());
}
