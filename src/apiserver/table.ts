// Table rendering (meta.k8s.io/v1 Table) for every kind, from the definition's
// printer columns; `kubectl get` prints what this returns.

import type { PrinterColumn } from '../api/definition.js';
import { formatAge } from '../api/duration.js';
import { getPath, type KObject } from '../api/object.js';
import type { CompiledDefinition } from '../registry/compiled-definition.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

const nameColumn: PrinterColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace. Cannot be updated.',
  jsonPath: '.metadata.name',
};
const ageColumn: PrinterColumn = {
  name: 'Age',
  type: 'date',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  jsonPath: '.metadata.creationTimestamp',
};

const columnsCache = new WeakMap<CompiledDefinition, PrinterColumn[]>();
export function columnsOf(cd: CompiledDefinition): PrinterColumn[] {
  let cols = columnsCache.get(cd);
  if (cols) return cols;
  const own = cd.def.columns ?? [];
  const hasName = own.some((c) => c.name.toLowerCase() === 'name');
  const hasAge = own.some((c) => c.name.toLowerCase() === 'age');
  cols = [...(hasName ? [] : [nameColumn]), ...own, ...(hasAge || hasName ? [] : [ageColumn])];
  columnsCache.set(cd, cols);
  return cols;
}

function cell(col: PrinterColumn, obj: KObject, now: number): unknown {
  const v = col.value ? col.value(obj, now) : col.jsonPath ? getPath(obj, col.jsonPath) : undefined;
  if (col.type === 'date') {
    if (typeof v !== 'string' || v === '') return v === undefined ? '<unknown>' : v;
    const t = Date.parse(v);
    return Number.isNaN(t) ? v : formatAge(Math.max(0, now - t));
  }
  if (v === undefined || v === null) return null;
  if (typeof v === 'object') return JSON.stringify(v);
  return v;
}

function partialMetadata(obj: KObject): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function tableRow(cd: CompiledDefinition, obj: KObject, include: IncludeObject, now = Date.now()) {
  const cols = columnsOf(cd);
  const row: Record<string, unknown> = { cells: cols.map((c) => cell(c, obj, now)) };
  if (include === 'Object') row.object = obj;
  else if (include === 'Metadata') row.object = partialMetadata(obj);
  return row;
}

export function toTable(
  cd: CompiledDefinition,
  objs: KObject[],
  opts: { include: IncludeObject; resourceVersion?: string; continue?: string; remainingItemCount?: number; noHeaders?: boolean },
) {
  const now = Date.now();
  const metadata: Record<string, unknown> = {};
  if (opts.resourceVersion) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue) metadata.continue = opts.continue;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: opts.noHeaders
      ? []
      : columnsOf(cd).map((c) => ({
          name: c.name,
          type: c.type === 'date' ? 'string' : c.type,
          format: c.format ?? (c.type === 'date' ? '' : ''),
          description: c.description ?? '',
          priority: c.priority ?? 0,
        })),
    rows: objs.map((o) => tableRow(cd, o, opts.include, now)),
  };
}
