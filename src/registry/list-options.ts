// Parsed list/watch options and the object filter built from them.

import type { ResourceDefinition } from '../api/definition.js';
import { badRequest } from '../api/errors.js';
import type { KObject } from '../api/object.js';
import { compileLabelSelector } from '../api/label-selector.js';
import { compileFieldSelector } from '../api/field-selector.js';

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export type ObjectFilter = (obj: KObject) => boolean;

const metaFields: Record<string, (o: KObject) => string | undefined> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
};

export function buildFilter(def: ResourceDefinition, opts: ListOptions): ObjectFilter | undefined {
  const filters: ObjectFilter[] = [];
  if (opts.labelSelector) {
    const m = compileLabelSelector(opts.labelSelector);
    filters.push((o) => m(o.metadata.labels ?? {}));
  }
  if (opts.fieldSelector) {
    const getters = { ...metaFields, ...(def.selectableFields ?? {}) };
    const m = compileFieldSelector(opts.fieldSelector, (o: KObject, f: string) => getters[f]?.(o), new Set(Object.keys(getters)));
    filters.push(m as ObjectFilter);
  }
  if (filters.length === 0) return undefined;
  if (filters.length === 1) return filters[0];
  return (o) => filters.every((f) => f(o));
}

export interface ContinueToken {
  /** The last key returned. */
  k: string;
  rv: number;
}

export const encodeContinue = (t: ContinueToken) => Buffer.from(JSON.stringify(t)).toString('base64url');

export function decodeContinue(s: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString()) as ContinueToken;
    if (typeof t.k !== 'string' || typeof t.rv !== 'number') throw new Error('shape');
    return t;
  } catch {
    throw badRequest('continue key is not valid: malformed continue token');
  }
}
