// Validation of scheduling.k8s.io/v1alpha1 Workload, with the wording kube
// 1.35 uses. Done in code rather than in the schema so every message is exact
// and each problem is reported once (the schema only checks types).

import { fieldError, type FieldError } from '../errors.js';
import { deepEqual, isPlainObject, type KObject } from '../object.js';
import { child, immutable, index, invalidEach } from '../validation/field.js';
import { isDNS1123Label, isDNS1123Subdomain, pathSegmentErrors } from '../validation/names.js';

/** kube's WorkloadMaxPodGroups. */
export const WORKLOAD_MAX_POD_GROUPS = 8;

type Obj = Record<string, unknown>;
const spec = (w: KObject): Obj => (isPlainObject(w.spec) ? w.spec : {});
const set = (v: unknown) => v !== undefined && v !== null;
const str = (v: unknown) => (typeof v === 'string' ? v : '');

function validateControllerRef(ref: unknown, path: string): FieldError[] {
  if (!isPlainObject(ref)) return [];
  const errs: FieldError[] = [];
  const group = str(ref.apiGroup);
  if (group) errs.push(...invalidEach(child(path, 'apiGroup'), group, isDNS1123Subdomain(group)));
  // kube checks kind and name as path segments: tools put them in URLs.
  for (const f of ['kind', 'name']) {
    const v = str(ref[f]);
    if (!v) errs.push(fieldError.required(child(path, f)));
    else errs.push(...invalidEach(child(path, f), v, pathSegmentErrors(v)));
  }
  return errs;
}

function validatePolicy(policy: unknown, path: string): FieldError[] {
  const p: Obj = isPlainObject(policy) ? policy : {};
  const chosen = ['basic', 'gang'].filter((k) => set(p[k]));
  if (chosen.length === 0) return [fieldError.required(path, 'exactly one of `basic`, `gang` is required')];
  if (chosen.length > 1) {
    const shown = `{${chosen.map((k) => `\`${k}\``).join(', ')}}`;
    return [fieldError.invalid(path, shown, 'exactly one of `basic`, `gang` is required, but multiple fields are set')];
  }
  if (chosen[0] === 'basic' || !isPlainObject(p.gang)) return [];
  const minCount = p.gang.minCount;
  const mcPath = child(path, 'gang', 'minCount');
  if (!set(minCount)) return [fieldError.required(mcPath)];
  // Non-numbers are the schema's to report.
  if (typeof minCount === 'number' && minCount <= 0) return [fieldError.invalid(mcPath, minCount, 'must be greater than 0')];
  return [];
}

function validatePodGroups(groups: unknown, path: string): FieldError[] {
  if (!set(groups) || (Array.isArray(groups) && groups.length === 0)) return [fieldError.required(path, 'must have at least one item')];
  if (!Array.isArray(groups)) return [];
  if (groups.length > WORKLOAD_MAX_POD_GROUPS) return [fieldError.tooMany(path, groups.length, WORKLOAD_MAX_POD_GROUPS)];
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  groups.forEach((raw, i) => {
    const g: Obj = isPlainObject(raw) ? raw : {};
    const ip = index(path, i);
    const name = str(g.name);
    if (!name) errs.push(fieldError.required(child(ip, 'name')));
    else errs.push(...invalidEach(child(ip, 'name'), name, isDNS1123Label(name)));
    if (name && seen.has(name)) errs.push(fieldError.duplicate(child(ip, 'name'), name));
    seen.add(name);
    errs.push(...validatePolicy(g.policy, child(ip, 'policy')));
  });
  return errs;
}

export function validateSchedulingWorkload(w: KObject): FieldError[] {
  const s = spec(w);
  return [...validateControllerRef(s.controllerRef, 'spec.controllerRef'), ...validatePodGroups(s.podGroups, 'spec.podGroups')];
}

/** Pod groups never change; controllerRef may be set once, then never changes. */
export function validateSchedulingWorkloadUpdate(w: KObject, old: KObject): FieldError[] {
  const errs = validateSchedulingWorkload(w);
  const s = spec(w);
  const o = spec(old);
  if (set(o.controllerRef) && !deepEqual(s.controllerRef ?? null, o.controllerRef)) {
    errs.push(immutable('spec.controllerRef', s.controllerRef ?? null));
  }
  if (!deepEqual(s.podGroups ?? null, o.podGroups ?? null)) errs.push(immutable('spec.podGroups', s.podGroups ?? null));
  return errs;
}
