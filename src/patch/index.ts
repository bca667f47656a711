// Patch semantics of the Kubernetes API (merge, JSON, strategic merge patch,
// server-side apply) and managedFields bookkeeping, as pure functions over
// plain JSON objects.

export { applyMergePatch } from './merge-patch.js';
export { applyJsonPatch, jsonPatchFailed, MAX_JSON_PATCH_OPERATIONS } from './json-patch.js';
export { applyStrategicMergePatch } from './strategic-merge-patch.js';
export { FieldSet, pathString } from './field-set.js';
export { fieldSetOf, compareObjects } from './field-walk.js';
export type { Comparison } from './field-walk.js';
export { updateManagedFields, decodeManagedFields, encodeManagedFields, managerLabel, MAX_UPDATE_MANAGERS } from './managed-fields.js';
export type { UpdateManagedFieldsOptions, Manager } from './managed-fields.js';
export { applyServerSide, applyConflict } from './server-side-apply.js';
export type { ApplyOptions, ApplyResult } from './server-side-apply.js';
export { rootSchema } from './schema-lookup.js';
export type { Schema } from './schema-lookup.js';
