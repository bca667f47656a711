// Pod spec defaulting as kube applies it on every decode: policies, container
// and probe defaults, the image-dependent imagePullPolicy and canonical
// quantities. Idempotent, so it runs on create and on every update; kinds
// with pod templates call it on their template spec too.

import { isPlainObject } from '../object.js';
import { canonicalQuantity } from '../quantity.js';

type Obj = Record<string, unknown>;
const each = (v: unknown, fn: (o: Obj) => void) => {
  if (Array.isArray(v)) for (const x of v) if (isPlainObject(x)) fn(x);
};
const unset = (v: unknown) => v === undefined || v === null || v === '';
const setIfUnset = (o: Obj, k: string, v: unknown) => {
  if (unset(o[k])) o[k] = v;
};

/** The tag kube derives from an image reference: `latest` when neither tag nor digest is given. */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) return name.slice(colon + 1);
  return at >= 0 ? '' : 'latest';
}

export const defaultPullPolicy = (image: string) => (imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent');

function canonicalizeList(list: unknown): void {
  if (!isPlainObject(list)) return;
  for (const [k, v] of Object.entries(list)) {
    try {
      list[k] = canonicalQuantity(String(v));
    } catch {
      // Left as sent; validation reports it.
    }
  }
}

function defaultProbe(p: unknown): void {
  if (!isPlainObject(p)) return;
  // kube treats 0 as unset for these.
  for (const [k, v] of [['timeoutSeconds', 1], ['periodSeconds', 10], ['successThreshold', 1], ['failureThreshold', 3]] as const) {
    if (!p[k]) p[k] = v;
  }
  if (isPlainObject(p.httpGet)) {
    setIfUnset(p.httpGet, 'path', '/');
    setIfUnset(p.httpGet, 'scheme', 'HTTP');
  }
}

function defaultContainer(c: Obj, hostNetwork: boolean, requestsFromLimits: boolean): void {
  if (unset(c.imagePullPolicy) && typeof c.image === 'string') c.imagePullPolicy = defaultPullPolicy(c.image);
  setIfUnset(c, 'terminationMessagePath', '/dev/termination-log');
  setIfUnset(c, 'terminationMessagePolicy', 'File');
  each(c.ports, (p) => {
    setIfUnset(p, 'protocol', 'TCP');
    if (hostNetwork && !p.hostPort) p.hostPort = p.containerPort;
  });
  each(c.env, (e) => {
    if (isPlainObject(e.valueFrom) && isPlainObject(e.valueFrom.fieldRef)) setIfUnset(e.valueFrom.fieldRef, 'apiVersion', 'v1');
  });
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isPlainObject(c.resources)) {
    const r = c.resources;
    canonicalizeList(r.limits);
    canonicalizeList(r.requests);
    if (requestsFromLimits && isPlainObject(r.limits)) {
      const req = isPlainObject(r.requests) ? r.requests : (r.requests = {});
      for (const [k, v] of Object.entries(r.limits)) if (!(k in req)) req[k] = v;
    }
  }
}

export interface PodDefaultOptions {
  /** Pods (not templates) also default requests from limits and enableServiceLinks. */
  pod?: boolean;
}

/** Fills kube's defaults into a pod spec in place. */
export function defaultPodSpec(spec: unknown, opts: PodDefaultOptions = {}): void {
  if (!isPlainObject(spec)) return;
  setIfUnset(spec, 'restartPolicy', 'Always');
  setIfUnset(spec, 'dnsPolicy', 'ClusterFirst');
  setIfUnset(spec, 'schedulerName', 'default-scheduler');
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) spec.terminationGracePeriodSeconds = 30;
  if (!isPlainObject(spec.securityContext)) spec.securityContext = {};
  // serviceAccount is the deprecated spelling; kube keeps both in step.
  if (unset(spec.serviceAccountName) && !unset(spec.serviceAccount)) spec.serviceAccountName = spec.serviceAccount;
  if (!unset(spec.serviceAccountName)) spec.serviceAccount = spec.serviceAccountName;
  if (opts.pod && spec.enableServiceLinks === undefined) spec.enableServiceLinks = true;
  const hostNetwork = spec.hostNetwork === true;
  each(spec.containers, (c) => defaultContainer(c, hostNetwork, opts.pod === true));
  each(spec.initContainers, (c) => defaultContainer(c, hostNetwork, opts.pod === true));
  each(spec.volumes, (v) => {
    const sources = Object.keys(v).filter((k) => k !== 'name');
    if (sources.length === 0) v.emptyDir = {};
  });
  canonicalizeList(spec.overhead);
}
