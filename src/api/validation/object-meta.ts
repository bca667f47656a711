// metadata checks every kind shares (kube's ValidateObjectMeta and
// ValidateObjectMetaUpdate): names, namespace scope, labels, annotations,
// owner references, finalizers and the fields that never change.

import type { ResourceDefinition } from '../definition.js';
import { fieldError, type FieldError } from '../errors.js';
import { deepEqual, type ObjectMeta } from '../object.js';
import { child, immutable, invalidEach, tooLong } from './field.js';
import { isDNS1123Label, isQualifiedName, isValidLabelValue, nameValidators } from './names.js';

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

export interface ObjectMetaOptions {
  namespaced: boolean;
  nameFormat?: ResourceDefinition['nameFormat'];
}

export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...invalidEach(path, k, isQualifiedName(k)));
    errs.push(...invalidEach(path, v, isValidLabelValue(String(v))));
  }
  return errs;
}

export function validateAnnotations(annotations: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    // Annotation keys are qualified names compared case-insensitively.
    errs.push(...invalidEach(path, k, isQualifiedName(k.toLowerCase())));
    size += Buffer.byteLength(k) + Buffer.byteLength(String(v));
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

export function validateOwnerReferences(refs: ObjectMeta['ownerReferences'], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const controllers: string[] = [];
  for (const ref of refs ?? []) {
    if (!ref.apiVersion) errs.push(fieldError.invalid(child(path, 'apiVersion'), ref.apiVersion ?? '', 'version must not be empty'));
    if (!ref.kind) errs.push(fieldError.invalid(child(path, 'kind'), ref.kind ?? '', 'kind must not be empty'));
    if (!ref.name) errs.push(fieldError.invalid(child(path, 'name'), ref.name ?? '', 'name must not be empty'));
    if (!ref.uid) errs.push(fieldError.invalid(child(path, 'uid'), ref.uid ?? '', 'uid must not be empty'));
    if (ref.controller) controllers.push(ref.name);
  }
  if (controllers.length > 1) {
    errs.push(
      fieldError.invalid(
        path,
        refs,
        `Only one reference can have Controller set to true. Found "true" in references for ${controllers.join(' and ')}`,
      ),
    );
  }
  return errs;
}

export function validateFinalizers(finalizers: string[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of finalizers ?? []) errs.push(...invalidEach(path, f, isQualifiedName(f)));
  const set = new Set(finalizers ?? []);
  if (set.has('orphan') && set.has('foregroundDeletion')) {
    errs.push(fieldError.invalid(path, finalizers, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

/** Checks a new object's metadata. The name rule comes from the definition. */
export function validateObjectMeta(meta: ObjectMeta, opts: ObjectMetaOptions): FieldError[] {
  const errs: FieldError[] = [];
  const path = 'metadata';
  const nameFn = nameValidators[opts.nameFormat ?? 'dns1123-subdomain'];
  if (meta.generateName) {
    errs.push(...invalidEach(child(path, 'generateName'), meta.generateName, nameFn(meta.generateName, true)));
  }
  if (!meta.name) errs.push(fieldError.required(child(path, 'name'), 'name or generateName is required'));
  else errs.push(...invalidEach(child(path, 'name'), meta.name, nameFn(meta.name, false)));
  if (opts.namespaced) {
    if (!meta.namespace) errs.push(fieldError.required(child(path, 'namespace')));
    else errs.push(...invalidEach(child(path, 'namespace'), meta.namespace, isDNS1123Label(meta.namespace)));
  } else if (meta.namespace) {
    errs.push(fieldError.forbidden(child(path, 'namespace'), 'not allowed on this type'));
  }
  if (typeof meta.generation === 'number' && meta.generation < 0) {
    errs.push(fieldError.invalid(child(path, 'generation'), meta.generation, 'must be greater than or equal to 0'));
  }
  errs.push(...validateLabels(meta.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(meta.annotations, child(path, 'annotations')));
  errs.push(...validateOwnerReferences(meta.ownerReferences, child(path, 'ownerReferences')));
  errs.push(...validateFinalizers(meta.finalizers, child(path, 'finalizers')));
  return errs;
}

/** Checks an update against the stored metadata: identity fields never change. */
export function validateObjectMetaUpdate(meta: ObjectMeta, old: ObjectMeta): FieldError[] {
  const errs: FieldError[] = [];
  const path = 'metadata';
  if (old.deletionTimestamp) {
    const had = new Set(old.finalizers ?? []);
    const added = [...new Set(meta.finalizers ?? [])].filter((f) => !had.has(f)).sort();
    if (added.length) {
      const list = `[]string{${added.map((f) => JSON.stringify(f)).join(', ')}}`;
      errs.push(
        fieldError.forbidden(child(path, 'finalizers'), `no new finalizers can be added if the object is being deleted, found new finalizers ${list}`),
      );
    }
  }
  if ((meta.generation ?? 0) < (old.generation ?? 0)) {
    errs.push(fieldError.invalid(child(path, 'generation'), meta.generation ?? 0, 'must not be decremented'));
  }
  for (const f of ['name', 'namespace', 'uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds'] as const) {
    if (!deepEqual(meta[f] ?? undefined, old[f] ?? undefined)) errs.push(immutable(child(path, f), meta[f] ?? ''));
  }
  return errs;
}

/** `spec.x: Invalid value: ...: field is immutable` when a value changed. */
export function validateImmutableField(value: unknown, old: unknown, path: string): FieldError[] {
  return deepEqual(value ?? undefined, old ?? undefined) ? [] : [immutable(path, value ?? null)];
}
