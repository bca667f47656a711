// Checks of one container (app or init), in kube's wording: names, image,
// ports, environment, probes, mounts, resources and the enum-valued policies.

import { fieldError, type FieldError } from '../errors.js';
import { isPlainObject } from '../object.js';
import { child, index, invalidEach, isNonNegative, notFound } from './field.js';
import { isConfigMapKey, isEnvVarName, isValidPortName, isValidPortNum } from './names.js';
import { validateResourceRequirements } from './resources.js';

type Obj = Record<string, unknown>;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Obj => (isPlainObject(v) ? v : {});
const s = (v: unknown): string => (typeof v === 'string' ? v : '');

export const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
export const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

export interface ContainerContext {
  /** Names of the pod volumes (mounts must refer to one). */
  volumes: Set<string>;
  hostNetwork: boolean;
  init: boolean;
  /** Templates of some kinds may leave the image to be filled in later. */
  requireImage: boolean;
}

export function validatePorts(ports: unknown, path: string, hostNetwork: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  arr(ports).forEach((raw, i) => {
    const p = obj(raw);
    const ip = index(path, i);
    const name = s(p.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length) errs.push(...invalidEach(child(ip, 'name'), name, msgs));
      else if (names.has(name)) errs.push(fieldError.duplicate(child(ip, 'name'), name));
      else names.add(name);
    }
    if (!p.containerPort) errs.push(fieldError.required(child(ip, 'containerPort')));
    else if (typeof p.containerPort === 'number') {
      errs.push(...invalidEach(child(ip, 'containerPort'), p.containerPort, isValidPortNum(p.containerPort)));
    }
    if (typeof p.hostPort === 'number' && p.hostPort !== 0) {
      errs.push(...invalidEach(child(ip, 'hostPort'), p.hostPort, isValidPortNum(p.hostPort)));
      if (hostNetwork && p.hostPort !== p.containerPort) {
        errs.push(fieldError.invalid(child(ip, 'hostPort'), p.hostPort, 'must match `containerPort` when `hostNetwork` is true'));
      }
    }
    // Empty policies are defaulted (core/pod-defaults.ts, schema defaults) before validation.
    if (p.protocol && !PORT_PROTOCOLS.includes(s(p.protocol))) errs.push(fieldError.notSupported(child(ip, 'protocol'), p.protocol, PORT_PROTOCOLS));
  });
  return errs;
}

function validateKeySelector(sel: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!s(sel.name)) errs.push(fieldError.required(child(path, 'name')));
  if (!s(sel.key)) errs.push(fieldError.required(child(path, 'key')));
  else errs.push(...invalidEach(child(path, 'key'), sel.key, isConfigMapKey(s(sel.key))));
  return errs;
}

function validateValueFrom(ev: Obj, path: string): FieldError[] {
  if (!isPlainObject(ev.valueFrom)) return [];
  const vf = ev.valueFrom;
  const errs: FieldError[] = [];
  let sources = 0;
  if (isPlainObject(vf.fieldRef)) {
    sources++;
    if (!s(vf.fieldRef.fieldPath)) errs.push(fieldError.required(child(path, 'fieldRef', 'fieldPath')));
  }
  if (isPlainObject(vf.resourceFieldRef)) {
    sources++;
    if (!s(vf.resourceFieldRef.resource)) errs.push(fieldError.required(child(path, 'resourceFieldRef', 'resource')));
  }
  if (isPlainObject(vf.configMapKeyRef)) {
    sources++;
    errs.push(...validateKeySelector(vf.configMapKeyRef, child(path, 'configMapKeyRef')));
  }
  if (isPlainObject(vf.secretKeyRef)) {
    sources++;
    errs.push(...validateKeySelector(vf.secretKeyRef, child(path, 'secretKeyRef')));
  }
  if (sources === 0) {
    errs.push(fieldError.invalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  } else if (s(ev.value) !== '') {
    errs.push(fieldError.invalid(path, '', 'may not be specified when `value` is not empty'));
  } else if (sources > 1) {
    errs.push(fieldError.invalid(path, '', 'may not have more than one field specified at a time'));
  }
  return errs;
}

export function validateEnv(env: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(env).forEach((raw, i) => {
    const ev = obj(raw);
    const ip = index(path, i);
    if (!s(ev.name)) errs.push(fieldError.required(child(ip, 'name')));
    else errs.push(...invalidEach(child(ip, 'name'), ev.name, isEnvVarName(s(ev.name))));
    errs.push(...validateValueFrom(ev, child(ip, 'valueFrom')));
  });
  return errs;
}

function validateEnvFrom(envFrom: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  arr(envFrom).forEach((raw, i) => {
    const ef = obj(raw);
    const ip = index(path, i);
    if (s(ef.prefix)) errs.push(...invalidEach(child(ip, 'prefix'), ef.prefix, isEnvVarName(s(ef.prefix))));
    const refs = ['configMapRef', 'secretRef'].filter((k) => isPlainObject(ef[k]));
    if (refs.length === 0) errs.push(fieldError.invalid(ip, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (refs.length > 1) errs.push(fieldError.invalid(ip, '', 'may not have more than one field specified at a time'));
    for (const r of refs) if (!s(obj(ef[r]).name)) errs.push(fieldError.required(child(ip, r, 'name')));
  });
  return errs;
}

export function validateVolumeMounts(mounts: unknown, path: string, volumes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  arr(mounts).forEach((raw, i) => {
    const m = obj(raw);
    const ip = index(path, i);
    const name = s(m.name);
    if (!name) errs.push(fieldError.required(child(ip, 'name')));
    if (!volumes.has(name)) errs.push(notFound(child(ip, 'name'), name));
    const mp = s(m.mountPath);
    if (!mp) errs.push(fieldError.required(child(ip, 'mountPath')));
    if (paths.has(mp)) errs.push(fieldError.invalid(child(ip, 'mountPath'), mp, 'must be unique'));
    paths.add(mp);
  });
  return errs;
}

function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'number') return invalidEach(path, port, isValidPortNum(port));
  if (typeof port === 'string') return invalidEach(path, port, isValidPortName(port));
  return [fieldError.required(path)];
}

export function validateProbe(probe: unknown, path: string): FieldError[] {
  if (!isPlainObject(probe)) return [];
  const errs: FieldError[] = [];
  let handlers = 0;
  for (const h of ['exec', 'httpGet', 'tcpSocket', 'grpc']) {
    if (!isPlainObject(probe[h])) continue;
    if (handlers > 0) {
      errs.push(fieldError.forbidden(child(path, h), 'may not specify more than 1 handler type'));
      continue;
    }
    handlers++;
    const hp = child(path, h);
    const handler = probe[h] as Obj;
    if (h === 'exec' && arr(handler.command).length === 0) errs.push(fieldError.required(child(hp, 'command')));
    if (h === 'httpGet' || h === 'tcpSocket') errs.push(...validatePortNumOrName(handler.port, child(hp, 'port')));
    if (h === 'grpc' && typeof handler.port === 'number') errs.push(...invalidEach(child(hp, 'port'), handler.port, isValidPortNum(handler.port)));
  }
  if (handlers === 0) errs.push(fieldError.required(path, 'must specify a handler type'));
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    errs.push(...isNonNegative(child(path, f), probe[f]));
  }
  const tgps = probe.terminationGracePeriodSeconds;
  if (typeof tgps === 'number' && tgps <= 0) {
    errs.push(fieldError.invalid(child(path, 'terminationGracePeriodSeconds'), tgps, 'must be greater than 0'));
  }
  return errs;
}

function validateProbes(c: Obj, path: string, init: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const sidecar = init && c.restartPolicy === 'Always';
  for (const p of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    if (!isPlainObject(c[p])) continue;
    if (init && !sidecar) {
      errs.push(fieldError.forbidden(child(path, p), 'may not be set for init containers without restartPolicy=Always'));
      continue;
    }
    errs.push(...validateProbe(c[p], child(path, p)));
    const st = (c[p] as Obj).successThreshold;
    if (p !== 'readinessProbe' && st !== undefined && st !== 1) errs.push(fieldError.invalid(child(path, p, 'successThreshold'), st, 'must be 1'));
  }
  return errs;
}

/** Everything about one container except name uniqueness, which needs the whole pod. */
export function validateContainer(c: Obj, path: string, ctx: ContainerContext): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof c.image !== 'string' || c.image === '') {
    if (ctx.requireImage) errs.push(fieldError.required(child(path, 'image')));
  } else if (c.image.trim() !== c.image) {
    errs.push(fieldError.invalid(child(path, 'image'), c.image, 'must not have leading or trailing whitespace'));
  }
  if (c.restartPolicy !== undefined) {
    if (!ctx.init) errs.push(fieldError.forbidden(child(path, 'restartPolicy'), 'may not be set for non-init containers'));
    else if (c.restartPolicy !== 'Always') errs.push(fieldError.notSupported(child(path, 'restartPolicy'), c.restartPolicy, ['Always']));
  }
  errs.push(...validatePorts(c.ports, child(path, 'ports'), ctx.hostNetwork));
  errs.push(...validateEnv(c.env, child(path, 'env')));
  errs.push(...validateEnvFrom(c.envFrom, child(path, 'envFrom')));
  errs.push(...validateVolumeMounts(c.volumeMounts, child(path, 'volumeMounts'), ctx.volumes));
  errs.push(...validateProbes(c, path, ctx.init));
  errs.push(...validateResourceRequirements(c.resources, child(path, 'resources')));
  if (c.imagePullPolicy && !PULL_POLICIES.includes(s(c.imagePullPolicy))) {
    errs.push(fieldError.notSupported(child(path, 'imagePullPolicy'), c.imagePullPolicy, PULL_POLICIES));
  }
  if (c.terminationMessagePolicy && !TERMINATION_MESSAGE_POLICIES.includes(s(c.terminationMessagePolicy))) {
    errs.push(fieldError.notSupported(child(path, 'terminationMessagePolicy'), c.terminationMessagePolicy, TERMINATION_MESSAGE_POLICIES));
  }
  return errs;
}
