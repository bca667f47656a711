// Printer-column pieces the kuma.io kinds share: the MESH column (with the
// `default` a missing label means), label-valued cells, condition status.

import type { PrinterColumn } from '../definition.js';
import { getPath, isPlainObject, type KObject } from '../object.js';
import { meshOf } from './labels.js';

export const meshColumn: PrinterColumn = {
  name: 'Mesh',
  type: 'string',
  description: 'Mesh the object belongs to (label kuma.io/mesh; `default` when unset).',
  value: (obj) => meshOf(obj),
  // In a generated CRD a missing label shows blank, not `default`.
  jsonPath: '.metadata.labels.kuma\\.io/mesh',
};

/** A column showing one label's value (blank cell when absent). */
export const labelColumn = (name: string, key: string, description: string, priority = 0): PrinterColumn => ({
  name,
  type: 'string',
  description,
  ...(priority ? { priority } : {}),
  value: (obj) => obj.metadata.labels?.[key],
  jsonPath: `.metadata.labels.${key.replace(/\./g, '\\.')}`,
});

/** Status (`True`/`False`/`Unknown`) of the condition of `type` in status.conditions, undefined when absent. */
export function conditionStatus(obj: KObject, type: string): string | undefined {
  const conds = getPath(obj, '.status.conditions');
  if (!Array.isArray(conds)) return undefined;
  const c = conds.find((x) => isPlainObject(x) && x.type === type) as Record<string, unknown> | undefined;
  return typeof c?.status === 'string' ? c.status : undefined;
}

/** Length of the array at `path`, 0 when absent. */
export const countAt = (obj: KObject, path: string): number => {
  const v = getPath(obj, path);
  return Array.isArray(v) ? v.length : 0;
};
