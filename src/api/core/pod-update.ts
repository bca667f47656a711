// What may change in a running pod's spec (kube's ValidatePodUpdate): images,
// a shorter activeDeadlineSeconds, added tolerations, removed scheduling gates,
// and terminationGracePeriodSeconds from negative to 1. Anything else is one
// Forbidden error on `spec` with kube's message and a short diff.

import { fieldError, type FieldError } from '../errors.js';
import { clone, deepEqual, isPlainObject } from '../object.js';
import { validateImmutableField } from '../validation/object-meta.js';

type Obj = Record<string, unknown>;
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);

const UPDATABLE = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

export const POD_UPDATE_FORBIDDEN = `pod updates may not change fields other than ${UPDATABLE.join(',')}`;

function validateContainerImages(list: unknown, oldList: unknown, path: string): { errs: FieldError[]; stop: boolean } {
  const cur = arr(list);
  if (cur.length !== arr(oldList).length) return { errs: [fieldError.forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  cur.forEach((c, i) => {
    const image = typeof c.image === 'string' ? c.image : '';
    if (!image) errs.push(fieldError.required(`${path}[${i}].image`));
    else if (image.trim() !== image) errs.push(fieldError.invalid(`${path}[${i}].image`, image, 'must not have leading or trailing whitespace'));
  });
  return { errs, stop: false };
}

function validateActiveDeadline(v: unknown, old: unknown): FieldError[] {
  const path = 'spec.activeDeadlineSeconds';
  if (typeof v === 'number') {
    if (v < 0 || v > 2147483647) return [fieldError.invalid(path, v, 'must be between 0 and 2147483647, inclusive')];
    if (typeof old === 'number' && old < v) return [fieldError.invalid(path, v, 'must be less than or equal to previous value')];
  } else if (typeof old === 'number') {
    return [fieldError.invalid(path, null, 'must not update from a positive integer to nil value')];
  }
  return [];
}

function validateOnlyAddedTolerations(cur: unknown, old: unknown): FieldError[] {
  for (const o of arr(old)) {
    // tolerationSeconds may change, so compare with the new item's value put in.
    const found = arr(cur).some((n) => {
      const probe: Obj = { ...o };
      if (n.tolerationSeconds === undefined) delete probe.tolerationSeconds;
      else probe.tolerationSeconds = n.tolerationSeconds;
      return deepEqual(probe, n);
    });
    if (!found) return [fieldError.forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return [];
}

function validateGateRemovals(cur: unknown, old: unknown): FieldError[] {
  const had = new Set(arr(old).map((g) => g.name));
  const added = arr(cur).filter((g) => !had.has(g.name));
  return added.length
    ? [fieldError.forbidden('spec.schedulingGates', `only deletion is allowed, but found new scheduling gate '${String(added[0].name)}'`)]
    : [];
}

/** Paths (up to `max`) where two JSON values differ, as `- path: old` / `+ path: new` lines. */
export function shortDiff(a: unknown, b: unknown, path: string, out: string[] = [], max = 8): string[] {
  if (out.length >= max * 2 || deepEqual(a, b)) return out;
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) shortDiff(a[k], b[k], `${path}.${k}`, out, max);
  } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => shortDiff(x, b[i], `${path}[${i}]`, out, max));
  } else {
    if (a !== undefined) out.push(`- ${path}: ${JSON.stringify(a)}`);
    if (b !== undefined) out.push(`+ ${path}: ${JSON.stringify(b)}`);
  }
  return out;
}

/** Spec checks of a pod update (metadata is checked by the generic server). */
export function validatePodSpecUpdate(spec: unknown, oldSpec: unknown): FieldError[] {
  const cur = isPlainObject(spec) ? spec : {};
  const old = isPlainObject(oldSpec) ? oldSpec : {};
  const containers = validateContainerImages(cur.containers, old.containers, 'spec.containers');
  if (containers.stop) return containers.errs;
  const init = validateContainerImages(cur.initContainers, old.initContainers, 'spec.initContainers');
  if (init.stop) return [...containers.errs, ...init.errs];
  const errs = [...containers.errs, ...init.errs];
  errs.push(...validateActiveDeadline(cur.activeDeadlineSeconds, old.activeDeadlineSeconds));
  errs.push(...validateOnlyAddedTolerations(cur.tolerations, old.tolerations));
  errs.push(...validateGateRemovals(cur.schedulingGates, old.schedulingGates));
  errs.push(...validateImmutableField(cur.workloadRef, old.workloadRef, 'spec.workloadRef'));

  // Copy over what may change, then anything left different is forbidden.
  const munged = clone(cur) as Obj;
  const copyImages = (k: string) =>
    arr(munged[k]).forEach((c, i) => {
      const was = arr(old[k])[i]?.image;
      if (was === undefined) delete c.image;
      else c.image = was;
    });
  copyImages('containers');
  copyImages('initContainers');
  for (const k of ['activeDeadlineSeconds', 'tolerations', 'schedulingGates', 'workloadRef']) {
    if (old[k] === undefined) delete munged[k];
    else munged[k] = old[k];
  }
  const oldGrace = old.terminationGracePeriodSeconds;
  if (typeof oldGrace === 'number' && oldGrace < 0 && cur.terminationGracePeriodSeconds === 1) munged.terminationGracePeriodSeconds = oldGrace;
  if (!deepEqual(munged, old)) {
    const diff = shortDiff(old, munged, 'spec');
    errs.push(fieldError.forbidden('spec', `${POD_UPDATE_FORBIDDEN}\n${diff.join('\n')}`));
  }
  return errs;
}
