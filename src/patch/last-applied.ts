// What kube-apiserver does for `kubectl apply --server-side` (field manager
// "kubectl") on objects that client-side apply manages through the
// kubectl.kubernetes.io/last-applied-configuration annotation: conflicts on
// fields the annotation says kubectl applied (and that still hold those
// values) are not conflicts, so the upgrade from client-side apply never asks
// for --force-conflicts; and the annotation is kept in step with what was
// applied, so a later client-side `kubectl apply` computes the right patch.

import { isPlainObject } from '../api/object.js';
import type { FieldSet } from './field-set.js';
import { compareObjects, fieldSetOf } from './field-walk.js';
import type { Schema } from './schema-lookup.js';

type JsonMap = Record<string, unknown>;

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** kube gives these courtesies to this manager only; another name opts out. */
export const KUBECTL_APPLY_MANAGER = 'kubectl';

function lastAppliedText(obj: JsonMap): string | undefined {
  const meta = obj.metadata;
  const ann = isPlainObject(meta) && isPlainObject(meta.annotations) ? meta.annotations[LAST_APPLIED_ANNOTATION] : undefined;
  return typeof ann === 'string' && ann !== '' ? ann : undefined;
}

/**
 * Fields client-side apply last applied that the live object still holds as
 * applied: a server-side apply by kubectl may take them over without a conflict.
 */
export function fieldsFromLastApplied(live: JsonMap, schema: Schema | undefined, apiVersion: string): FieldSet | undefined {
  const text = lastAppliedText(live);
  if (!text) return undefined;
  let last: unknown;
  try {
    last = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlainObject(last) || last.apiVersion !== apiVersion) return undefined;
  const c = compareObjects(last, live, schema);
  return fieldSetOf(last, schema).difference(c.modified).difference(c.added).difference(c.removed);
}

/** Rewrites an existing last-applied annotation on `merged` to the configuration just applied. */
export function syncLastApplied(merged: JsonMap, applied: JsonMap): void {
  if (!lastAppliedText(merged)) return;
  const config = structuredClone(applied);
  if (isPlainObject(config.metadata) && isPlainObject(config.metadata.annotations)) delete config.metadata.annotations[LAST_APPLIED_ANNOTATION];
  ((merged.metadata as JsonMap).annotations as JsonMap)[LAST_APPLIED_ANNOTATION] = JSON.stringify(sortKeys(config)) + '\n';
}

/** Go's encoding/json writes map keys sorted; so does kube in this annotation. */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isPlainObject(v)) return v;
  const out: JsonMap = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
  return out;
}
