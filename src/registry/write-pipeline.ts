// The steps every write shares, in kube-apiserver's order: decode checks,
// pruning, strategy prepare, admission, validation, system metadata. Kept apart
// from the verbs so create, update, patch and apply all run the same code.

import { randomUUID } from 'node:crypto';
import type { OperationContext } from '../api/definition.js';
import { badRequest, invalid, type FieldError } from '../api/errors.js';
import { deepEqual, isPlainObject, jsonEqual, nowIso, own, type KObject } from '../api/object.js';
import { pruneUnknown } from '../api/schema-validator.js';
import { canonicalizeTimes } from '../api/time-fields.js';
import { checkUntrusted } from '../api/untrusted-json.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../api/validation/index.js';
import type { CompiledDefinition } from './compiled-definition.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions extends OperationContext {
  fieldManager?: string;
  fieldValidation?: FieldValidation;
  /** Server-side apply computed managedFields itself. */
  skipManagedFields?: boolean;
  /** Text of duplicate fields found while decoding the body (Strict only). */
  duplicateFields?: string[];
}

/** Checks apiVersion/kind and drops undeclared fields (Strict: refuse them). */
export function decodeChecks(cd: CompiledDefinition, obj: KObject, opts: WriteOptions, warnings: string[]): void {
  const { def } = cd;
  if (!isPlainObject(obj)) throw badRequest('the body of the request was in an unknown format');
  // Every write, whatever its source (body, patch result, in-process client), is safe to merge, copy and store.
  checkUntrusted(obj, `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: `);
  if (obj.kind !== undefined && obj.kind !== def.kind) {
    throw badRequest(`${cd.gv}, Kind=${obj.kind} is not a ${def.kind}`);
  }
  if (obj.apiVersion !== undefined && obj.apiVersion !== cd.gv) {
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${cd.gv})`);
  }
  obj.apiVersion = cd.gv;
  obj.kind = def.kind;
  if (!isPlainObject(obj.metadata)) obj.metadata = {};
  const unknown: string[] = [];
  pruneUnknown(obj, cd.fullSchema, '', unknown);
  // Timestamps as kube decodes (Go's RFC 3339 parse: a bad one is a 400) and stores them.
  const badTime = canonicalizeTimes(obj, cd.fullSchema);
  if (badTime) throw badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: ${badTime}`);
  const problems = [...(opts.duplicateFields ?? []).map((f) => `duplicate field "${f}"`), ...unknown.map((f) => `unknown field "${f}"`)];
  if (problems.length === 0) return;
  if (opts.fieldValidation === 'Strict') {
    throw badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: strict decoding error: ${problems.join(', ')}`);
  }
  if (opts.fieldValidation === 'Warn') warnings.push(...problems);
}

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';
export function generateNameSuffix(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += NAME_CHARS[Math.floor(Math.random() * NAME_CHARS.length)];
  return s;
}

/** Validates a prepared object (schema, metadata, strategy) and throws 422 with every cause. */
export function validateObject(cd: CompiledDefinition, obj: KObject, old: KObject | undefined, ctx: OperationContext): void {
  const { def } = cd;
  const errs: FieldError[] = [];
  errs.push(...validateObjectMeta(obj.metadata, { namespaced: def.namespaced, nameFormat: def.nameFormat }));
  errs.push(...cd.validator.validate(obj));
  if (old) {
    errs.push(...validateObjectMetaUpdate(obj.metadata, old.metadata));
    const trusted = ctx.subresource !== undefined && ctx.subresource !== 'status';
    if (trusted) {
      /* scale, binding, finalize: computed by server code; the schema check above suffices */
    } else if (def.strategy?.validateUpdate) errs.push(...def.strategy.validateUpdate(obj, old, ctx));
    else if (def.strategy?.validate) errs.push(...def.strategy.validate(obj, ctx));
  } else if (def.strategy?.validate) errs.push(...def.strategy.validate(obj, ctx));
  if (errs.length) throw invalid(def.kind, def.group, obj.metadata.name ?? obj.metadata.generateName ?? '', errs);
}

/** System metadata for a new object. */
export function initMetadata(obj: KObject): void {
  const m = obj.metadata;
  m.uid = randomUUID();
  m.creationTimestamp = nowIso();
  m.generation = 1;
  delete m.resourceVersion;
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  if (m.labels && Object.keys(m.labels).length === 0) delete m.labels;
  if (m.annotations && Object.keys(m.annotations).length === 0) delete m.annotations;
}

/** Carries over what a client may not change on update; generation waits for `bumpGeneration`. */
export function carryMetadata(obj: KObject, old: KObject): void {
  const m = obj.metadata;
  const o = old.metadata;
  m.uid = o.uid;
  m.creationTimestamp = o.creationTimestamp;
  if (o.deletionTimestamp) m.deletionTimestamp = o.deletionTimestamp;
  else delete m.deletionTimestamp;
  if (o.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds;
  else delete m.deletionGracePeriodSeconds;
  m.generation = o.generation ?? 1;
  if (m.labels && Object.keys(m.labels).length === 0) delete m.labels;
  if (m.annotations && Object.keys(m.annotations).length === 0) delete m.annotations;
  if (m.finalizers && m.finalizers.length === 0) delete m.finalizers;
  if (m.ownerReferences && m.ownerReferences.length === 0) delete m.ownerReferences;
}

/**
 * Bumps generation when the spec (everything but metadata and status) differs from
 * the stored one. Runs after prepare, admission and schema defaults, as kube compares
 * defaulted objects: a write that leaves out defaulted or derived fields is no change.
 */
export function bumpGeneration(obj: KObject, old: KObject): void {
  obj.metadata.generation = (old.metadata.generation ?? 1) + (specChanged(obj, old) ? 1 : 0);
}

const SKIP_TOP = new Set(['apiVersion', 'kind', 'metadata', 'status']);
export function specChanged(a: KObject, b: KObject): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (!SKIP_TOP.has(k) && !deepEqual(own(a, k), own(b, k))) return true;
  return false;
}

/**
 * True when two versions differ in anything a client could see, managedFields times
 * aside (kube skips a write whose only change is a manager's timestamp, but stores
 * one that moves ownership, such as kubectl's client-side to server-side apply migration).
 */
export function meaningfullyDifferent(a: KObject, b: KObject): boolean {
  // Re-sorted too: a new time can move an entry without changing who owns what.
  const untimed = (mf: unknown) =>
    Array.isArray(mf) ? mf.map((e) => JSON.stringify(isPlainObject(e) ? { ...e, time: undefined } : e)).sort() : mf;
  const strip = (o: KObject) => ({ ...o, metadata: { ...o.metadata, resourceVersion: undefined, managedFields: untimed(o.metadata.managedFields) } });
  return !jsonEqual(strip(a), strip(b));
}
