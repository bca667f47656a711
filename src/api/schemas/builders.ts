// Small constructors for the schema shapes Kubernetes kinds repeat: described
// scalars, string maps, open objects and lists carrying their merge semantics.
// They keep the schema files declarative and make a missing description stand out.

import { Type, type TSchema } from '@sinclair/typebox';
import { TIME_KEYWORD } from '../time-fields.js';

type Opts = Record<string, unknown>;

export const str = (description: string, opts: Opts = {}) => Type.String({ description, ...opts });
export const int = (description: string, opts: Opts = {}) => Type.Integer({ description, ...opts });
export const int32 = (description: string, opts: Opts = {}) => Type.Integer({ description, format: 'int32', ...opts });
export const int64 = (description: string, opts: Opts = {}) => Type.Integer({ description, format: 'int64', ...opts });
export const bool = (description: string, opts: Opts = {}) => Type.Boolean({ description, ...opts });
export const opt = <T extends TSchema>(s: T) => Type.Optional(s);

/** A string restricted to a fixed set of values (rendered as `enum`, which OpenAPI and ajv both read). */
export const strEnum = (description: string, values: readonly string[], opts: Opts = {}) =>
  Type.String({ description, enum: [...values], ...opts });

/**
 * RFC 3339 timestamp; `null` is accepted because Go clients serialize zero times that way.
 * Marked so writes store it as kube does (time-fields.ts); OpenAPI leaves the mark out.
 */
export const time = (description: string) => Type.String({ description, format: 'date-time', nullable: true, [TIME_KEYWORD]: 'seconds' });
/** RFC 3339 timestamp with microseconds (kube's MicroTime). */
export const microTime = (description: string) => Type.String({ description, format: 'date-time', nullable: true, [TIME_KEYWORD]: 'micro' });

/** A map of string to string (labels, annotations, nodeSelector, ConfigMap data...). */
export const stringMap = (description: string, opts: Opts = {}) =>
  Type.Object({}, { description, additionalProperties: Type.String(), ...opts });

/** A map of string to an arbitrary schema. */
export const mapOf = (description: string, value: TSchema, opts: Opts = {}) =>
  Type.Object({}, { description, additionalProperties: value, ...opts });

/** An object whose fields are kept as sent (kube types we do not model in detail). */
export const openObject = (description: string, opts: Opts = {}) =>
  Type.Object({}, { description, 'x-kubernetes-preserve-unknown-fields': true, ...opts });

/** Integer or string (ports by number or name, maxSurge...). */
export const intOrString = (description: string, opts: Opts = {}) =>
  Type.Unsafe<number | string>({
    description,
    'x-kubernetes-int-or-string': true,
    anyOf: [{ type: 'integer' }, { type: 'string' }],
    ...opts,
  });

export interface ListSemantics {
  /** Keys identifying an item in a `map` list; also the strategic-merge key (first one). */
  mapKeys?: string[];
  /** Strategic merge key when it differs from the list-map keys (e.g. volumeMounts by mountPath). */
  mergeKey?: string;
  listType?: 'atomic' | 'set' | 'map';
  patchStrategy?: 'merge' | 'merge,retainKeys' | 'replace';
}

/** An array with the `x-kubernetes-*` list annotations kube declares for it. */
export function listOf(description: string, item: TSchema, sem: ListSemantics = {}, opts: Opts = {}) {
  const ext: Opts = {};
  const listType = sem.listType ?? (sem.mapKeys ? 'map' : undefined);
  if (listType) ext['x-kubernetes-list-type'] = listType;
  if (sem.mapKeys) ext['x-kubernetes-list-map-keys'] = sem.mapKeys;
  const mergeKey = sem.mergeKey ?? (sem.patchStrategy?.startsWith('merge') ? sem.mapKeys?.[0] : undefined);
  if (mergeKey) ext['x-kubernetes-patch-merge-key'] = mergeKey;
  if (sem.patchStrategy) ext['x-kubernetes-patch-strategy'] = sem.patchStrategy;
  return Type.Array(item, { description, ...ext, ...opts });
}

/** A list of strings treated as one value. */
export const stringList = (description: string, opts: Opts = {}) => listOf(description, Type.String(), { listType: 'atomic' }, opts);
