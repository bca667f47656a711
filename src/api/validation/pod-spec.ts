// validatePodSpec: kube's ValidatePodSpec for the fields Workplane models —
// containers, volumes and mounts, policies, scheduling fields, tolerations
// and the Workload reference — returning every problem with its path.

import { fieldError, type FieldError } from '../errors.js';
import { isPlainObject } from '../object.js';
import { VOLUME_SOURCES } from '../schemas/volume.js';
import { validateContainer } from './container.js';
import { child, index, invalidEach } from './field.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from './names.js';
import { validateLabels } from './object-meta.js';

type Obj = Record<string, unknown>;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Obj => (isPlainObject(v) ? v : {});
const s = (v: unknown): string => (typeof v === 'string' ? v : '');

export const RESTART_POLICY_VALUES = ['Always', 'OnFailure', 'Never'];
export const DNS_POLICY_VALUES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
export const TAINT_EFFECT_VALUES = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export interface PodSpecOptions {
  /** Containers must name an image (true for pods; some templates fill it later). */
  requireImage?: boolean;
}

export function validateVolumes(volumes: unknown, path: string): { errs: FieldError[]; names: Set<string> } {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  arr(volumes).forEach((raw, i) => {
    const v = obj(raw);
    const ip = index(path, i);
    let sources = 0;
    for (const src of VOLUME_SOURCES) {
      if (v[src] === undefined || v[src] === null) continue;
      if (sources > 0) errs.push(fieldError.forbidden(child(ip, src), 'may not specify more than 1 volume type'));
      sources++;
    }
    if (sources === 0) errs.push(fieldError.required(ip, 'must specify a volume type'));
    const name = s(v.name);
    if (!name) errs.push(fieldError.required(child(ip, 'name')));
    else errs.push(...invalidEach(child(ip, 'name'), name, isDNS1123Label(name)));
    if (names.has(name)) errs.push(fieldError.duplicate(child(ip, 'name'), name));
    names.add(name);
  });
  return { errs, names };
}

export function validateTolerations(tolerations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(tolerations).forEach((raw, i) => {
    const t = obj(raw);
    const ip = index(path, i);
    const k = s(t.key);
    const op = s(t.operator);
    if (k) errs.push(...invalidEach(child(ip, 'key'), k, isQualifiedName(k)));
    if (!k && op !== 'Exists') {
      errs.push(fieldError.invalid(child(ip, 'operator'), op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') {
      errs.push(fieldError.invalid(child(ip, 'effect'), s(t.effect), "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (op === '' || op === 'Equal') {
      const msgs = isValidLabelValue(s(t.value));
      if (msgs.length) errs.push(fieldError.invalid(child(ip, 'operator'), s(t.value), msgs.join(';')));
    } else if (op === 'Exists') {
      if (s(t.value)) errs.push(fieldError.invalid(child(ip, 'operator'), t, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(fieldError.notSupported(child(ip, 'operator'), op, ['Equal', 'Exists']));
    }
    if (s(t.effect) && !TAINT_EFFECT_VALUES.includes(s(t.effect))) {
      errs.push(fieldError.notSupported(child(ip, 'effect'), t.effect, TAINT_EFFECT_VALUES));
    }
  });
  return errs;
}

export function validateWorkloadRef(ref: unknown, path: string): FieldError[] {
  if (ref === undefined || ref === null) return [];
  const r = obj(ref);
  const errs: FieldError[] = [];
  if (!s(r.name)) errs.push(fieldError.required(child(path, 'name')));
  else errs.push(...invalidEach(child(path, 'name'), r.name, isDNS1123Subdomain(s(r.name))));
  if (!s(r.podGroup)) errs.push(fieldError.required(child(path, 'podGroup')));
  else errs.push(...invalidEach(child(path, 'podGroup'), r.podGroup, isDNS1123Label(s(r.podGroup))));
  if (s(r.podGroupReplicaKey)) {
    errs.push(...invalidEach(child(path, 'podGroupReplicaKey'), r.podGroupReplicaKey, isDNS1123Label(s(r.podGroupReplicaKey))));
  }
  return errs;
}

function validateContainers(spec: Obj, path: string, volumes: Set<string>, opts: PodSpecOptions): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  const hostNetwork = spec.hostNetwork === true;
  const requireImage = opts.requireImage ?? true;
  const one = (raw: unknown, ip: string, init: boolean) => {
    const c = obj(raw);
    const name = s(c.name);
    if (!name) errs.push(fieldError.required(child(ip, 'name')));
    else errs.push(...invalidEach(child(ip, 'name'), name, isDNS1123Label(name)));
    if (name && names.has(name)) errs.push(fieldError.duplicate(child(ip, 'name'), name));
    names.add(name);
    errs.push(...validateContainer(c, ip, { volumes, hostNetwork, init, requireImage }));
  };
  const containers = arr(spec.containers);
  if (containers.length === 0) errs.push(fieldError.required(child(path, 'containers')));
  containers.forEach((c, i) => one(c, index(child(path, 'containers'), i), false));
  arr(spec.initContainers).forEach((c, i) => one(c, index(child(path, 'initContainers'), i), true));
  return errs;
}

function validateNamed(spec: Obj, path: string, field: string, check: (v: string) => string[]): FieldError[] {
  const v = s(spec[field]);
  return v ? invalidEach(child(path, field), v, check(v)) : [];
}

/** `path` is where the spec sits: `spec` for pods, `spec.template.spec` for templates. */
export function validatePodSpec(spec: unknown, path = 'spec', opts: PodSpecOptions = {}): FieldError[] {
  const sp = obj(spec);
  const vols = validateVolumes(sp.volumes, child(path, 'volumes'));
  const errs = [...vols.errs, ...validateContainers(sp, path, vols.names, opts)];
  if (sp.restartPolicy && !RESTART_POLICY_VALUES.includes(s(sp.restartPolicy))) {
    errs.push(fieldError.notSupported(child(path, 'restartPolicy'), sp.restartPolicy, RESTART_POLICY_VALUES));
  }
  if (sp.dnsPolicy && !DNS_POLICY_VALUES.includes(s(sp.dnsPolicy))) {
    errs.push(fieldError.notSupported(child(path, 'dnsPolicy'), sp.dnsPolicy, DNS_POLICY_VALUES));
  }
  if (sp.dnsPolicy === 'None' && !isPlainObject(sp.dnsConfig)) {
    errs.push(fieldError.required(child(path, 'dnsConfig'), 'must provide `dnsConfig` when `dnsPolicy` is None'));
  }
  if (isPlainObject(sp.nodeSelector)) errs.push(...validateLabels(sp.nodeSelector as Record<string, string>, child(path, 'nodeSelector')));
  errs.push(...validateNamed(sp, path, 'serviceAccountName', isDNS1123Subdomain));
  errs.push(...validateNamed(sp, path, 'nodeName', isDNS1123Subdomain));
  errs.push(...validateNamed(sp, path, 'hostname', isDNS1123Label));
  errs.push(...validateNamed(sp, path, 'subdomain', isDNS1123Label));
  errs.push(...validateNamed(sp, path, 'schedulerName', isDNS1123Subdomain));
  errs.push(...validateNamed(sp, path, 'priorityClassName', isDNS1123Subdomain));
  const ads = sp.activeDeadlineSeconds;
  if (typeof ads === 'number' && (ads < 1 || ads > 2147483647)) {
    errs.push(fieldError.invalid(child(path, 'activeDeadlineSeconds'), ads, 'must be between 1 and 2147483647, inclusive'));
  }
  errs.push(...validateTolerations(sp.tolerations, child(path, 'tolerations')));
  arr(sp.readinessGates).forEach((g, i) => {
    const ct = s(obj(g).conditionType);
    errs.push(...invalidEach(child(index(child(path, 'readinessGates'), i), 'conditionType'), ct, isQualifiedName(ct)));
  });
  if (sp.preemptionPolicy && !['PreemptLowerPriority', 'Never'].includes(s(sp.preemptionPolicy))) {
    errs.push(fieldError.notSupported(child(path, 'preemptionPolicy'), sp.preemptionPolicy, ['Never', 'PreemptLowerPriority']));
  }
  errs.push(...validateWorkloadRef(sp.workloadRef, child(path, 'workloadRef')));
  return errs;
}
