// Server-side apply (`application/apply-patch+yaml`): merge a manager's apply
// configuration into the live object with field ownership. The manager owns
// exactly the fields of its configuration; fields it applied before and now
// omits are removed unless another manager owns them too; changing a field
// another manager owns is a 409 conflict unless `force` moves the ownership.
// Setting a field to the value it already has just shares ownership.
// kubectl's own manager gets kube's allowances for objects client-side apply
// made (last-applied.ts).

import { ApiError, badRequest } from '../api/errors.js';
import { clone, deepEqual, isPlainObject } from '../api/object.js';
import { checkUntrusted } from '../api/untrusted-json.js';
import type { ManagedFieldsEntry } from '../api/object.js';
import { FieldSet, pathString } from './field-set.js';
import { appliedFieldSet, compareObjects } from './field-walk.js';
import { capUpdateManagers, decodeManagedFields, encodeManagedFields, managerId, managerLabel } from './managed-fields.js';
import type { Manager } from './managed-fields.js';
import { rootSchema } from './schema-lookup.js';
import type { Schema } from './schema-lookup.js';
import { mergeApplied, removeFields } from './ssa-merge.js';
import { fieldsFromLastApplied, KUBECTL_APPLY_MANAGER, syncLastApplied } from './last-applied.js';

type JsonMap = Record<string, unknown>;

export interface ApplyOptions {
  /** The stored object, or undefined when apply creates it. */
  live: object | undefined;
  /** The apply configuration (the decoded request body). */
  applied: unknown;
  manager: string;
  force: boolean;
  /** The definition's body schema. */
  schema?: Schema;
  /** The endpoint's apiVersion; the configuration must use the same one. */
  apiVersion: string;
  /** RFC 3339 time for the applier's entry. */
  now: string;
  subresource?: string;
}

export interface ApplyResult {
  /** The merged object, metadata.managedFields already set. */
  object: JsonMap;
  managedFields: ManagedFieldsEntry[];
  /** False when the object (managedFields aside) is exactly the live one. */
  changed: boolean;
}

function checkConfiguration(o: ApplyOptions): JsonMap {
  if (!o.manager) throw badRequest('fieldManager is required for apply requests');
  const applied = o.applied;
  if (!isPlainObject(applied)) throw badRequest('error decoding YAML: the apply configuration must be an object');
  checkUntrusted(applied, 'error decoding YAML: ');
  if (typeof applied.kind !== 'string' || !applied.kind) throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(applied)}'`);
  if (applied.apiVersion !== o.apiVersion) {
    throw badRequest(
      `Incorrect version specified in apply patch. Specified patch version: ${String(applied.apiVersion ?? '')}, expected: ${o.apiVersion}`,
    );
  }
  const meta = applied.metadata;
  if (isPlainObject(meta) && meta.managedFields !== undefined && meta.managedFields !== null) {
    throw badRequest('metadata.managedFields must be nil');
  }
  return applied;
}

export function applyServerSide(o: ApplyOptions): ApplyResult {
  const applied = checkConfiguration(o);
  const schema = rootSchema(o.schema);
  const live: JsonMap = isPlainObject(o.live) ? clone(o.live) : {};
  const managers = decodeManagedFields(isPlainObject(live.metadata) ? live.metadata.managedFields : undefined);
  if (isPlainObject(live.metadata)) delete live.metadata.managedFields;

  const fields = appliedFieldSet(applied, o.schema);
  const merged = mergeApplied(clone(live), applied, schema);
  const applier: Manager = { manager: o.manager, operation: 'Apply', apiVersion: o.apiVersion, fields };
  if (o.subresource) applier.subresource = o.subresource;
  const id = managerId(applier);
  const previous = managers.get(id);
  if (previous?.time) applier.time = previous.time;
  managers.set(id, applier);

  // Fields this applier dropped from its configuration go, unless someone (itself included) still owns them.
  if (previous && !previous.fields.empty) {
    let owned = new FieldSet();
    for (const m of managers.values()) owned = owned.union(m.fields);
    const dropped = previous.fields.removable(owned);
    if (!dropped.empty) removeFields(merged, dropped, schema);
  }

  const c = compareObjects(live, merged, o.schema);
  const changedFields = c.modified.union(c.added);
  const conflicts: { id: string; manager: Manager; fields: FieldSet }[] = [];
  for (const [mid, m] of managers) {
    if (mid === id) continue;
    const overlap = m.fields.intersection(changedFields);
    if (!overlap.empty) conflicts.push({ id: mid, manager: m, fields: overlap });
  }
  if (conflicts.length > 0 && !o.force) {
    const fromCsa = o.manager === KUBECTL_APPLY_MANAGER ? fieldsFromLastApplied(live, o.schema, o.apiVersion) : undefined;
    const remaining = fromCsa ? conflicts.map((x) => ({ ...x, fields: x.fields.difference(fromCsa) })).filter((x) => !x.fields.empty) : conflicts;
    if (remaining.length > 0) throw applyConflict(remaining);
  }
  for (const { manager, fields: lost } of conflicts) manager.fields = manager.fields.difference(lost);
  for (const m of managers.values()) m.fields = m.fields.difference(c.removed);

  if (o.manager === KUBECTL_APPLY_MANAGER && !o.subresource) syncLastApplied(merged, applied);
  const changed = !deepEqual(live, merged);
  if (changed || !applier.time) applier.time = o.now;
  capUpdateManagers(managers);
  const managedFields = encodeManagedFields(managers.values());
  const metadata = isPlainObject(merged.metadata) ? merged.metadata : (merged.metadata = {});
  (metadata as JsonMap).managedFields = managedFields;
  return { object: merged, managedFields, changed };
}

/** kube's 409 for apply conflicts, one FieldManagerConflict cause per contested field. */
export function applyConflict(conflicts: { id: string; manager: Manager; fields: FieldSet }[]): ApiError {
  const sorted = [...conflicts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const causes: { reason: string; message: string; field: string }[] = [];
  const lines: string[] = [];
  for (const { manager, fields } of sorted) {
    const label = managerLabel(manager);
    lines.push(`conflicts with ${label}:`);
    for (const p of fields.paths()) {
      const field = pathString(p);
      causes.push({ reason: 'FieldManagerConflict', message: `conflict with ${label}`, field });
      lines.push(`- ${field}`);
    }
  }
  const message =
    causes.length === 1
      ? `Apply failed with 1 conflict: ${causes[0].message}: ${causes[0].field}`
      : `Apply failed with ${causes.length} conflicts: ${lines.join('\n')}`;
  return new ApiError(409, 'Conflict', message, { causes });
}
