// Keeps metadata.managedFields true on every non-apply write: the writer's
// manager takes ownership of the fields it changed.

import { nowIso, type KObject } from '../api/object.js';
import { updateManagedFields } from '../patch/index.js';
import type { CompiledDefinition } from './compiled-definition.js';
import type { WriteOptions } from './write-pipeline.js';

export function trackUpdate(cd: CompiledDefinition, old: KObject | undefined, obj: KObject, opts: WriteOptions): void {
  if (opts.skipManagedFields) return;
  if (!opts.fieldManager) {
    if (old?.metadata.managedFields) obj.metadata.managedFields = old.metadata.managedFields;
    return;
  }
  const managedFields = updateManagedFields({
    old,
    updated: obj,
    manager: opts.fieldManager,
    operation: 'Update',
    subresource: opts.subresource,
    schema: cd.fullSchema,
    apiVersion: cd.gv,
    now: nowIso(),
  });
  if (managedFields.length) obj.metadata.managedFields = managedFields as never;
  else delete obj.metadata.managedFields;
}
