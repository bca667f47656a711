// The resources the mesh controllers watch, and the informer indexes that keep
// their work per change proportional to what changed: Dataplanes by
// `namespace/workload`, Pods by namespace.

import { workloadOf } from '../../api/kuma/labels.js';
import type { KObject } from '../../api/object.js';
import type { Informer } from '../../client/informer.js';
import type { SharedInformers } from '../../client/shared-informers.js';
import type { GroupVersionResource } from '../../client/types.js';

const kuma = (resource: string): GroupVersionResource => ({ group: 'kuma.io', version: 'v1alpha1', resource });

export const PODS: GroupVersionResource = { group: '', version: 'v1', resource: 'pods' };
export const NAMESPACES: GroupVersionResource = { group: '', version: 'v1', resource: 'namespaces' };
export const SERVICES: GroupVersionResource = { group: '', version: 'v1', resource: 'services' };
export const DATAPLANES = kuma('dataplanes');
export const DATAPLANE_INSIGHTS = kuma('dataplaneinsights');
export const WORKLOADS = kuma('workloads');
export const MESHES = kuma('meshes');

export const BY_WORKLOAD = 'mesh.workplane.dev/workload';
export const BY_NAMESPACE = 'mesh.workplane.dev/namespace';

/** The Workload key (`namespace/name`) a Dataplane references, if any. */
export function workloadKeyOf(dp: KObject): string | undefined {
  const w = workloadOf(dp);
  return w && dp.metadata.namespace ? `${dp.metadata.namespace}/${w}` : undefined;
}

// addIndexer re-indexes every cached object, so each index is added once per informer.
const indexed = new WeakMap<Informer, Set<string>>();
const once = (inf: Informer, name: string, fn: (o: KObject) => string[]) => {
  let names = indexed.get(inf);
  if (!names) indexed.set(inf, (names = new Set()));
  if (!names.has(name)) {
    inf.addIndexer(name, fn);
    names.add(name);
  }
  return inf;
};

/** The shared Dataplane informer, indexed by BY_WORKLOAD (added once however many controllers ask). */
export function dataplaneInformer(informers: SharedInformers): Informer {
  return once(informers.informerFor(DATAPLANES), BY_WORKLOAD, (dp) => {
    const k = workloadKeyOf(dp);
    return k ? [k] : [];
  });
}

/** The shared Pod informer, indexed by BY_NAMESPACE. */
export function podInformer(informers: SharedInformers): Informer {
  return once(informers.informerFor(PODS), BY_NAMESPACE, (p) => (p.metadata.namespace ? [p.metadata.namespace] : []));
}

/** The shared Service informer, indexed by BY_NAMESPACE. */
export function serviceInformer(informers: SharedInformers): Informer {
  return once(informers.informerFor(SERVICES), BY_NAMESPACE, (s) => (s.metadata.namespace ? [s.metadata.namespace] : []));
}

/** A Service selects a pod of its namespace when its (non-empty) selector matches the pod's labels. */
export function serviceSelects(svc: KObject, pod: KObject): boolean {
  const sel = (svc.spec as { selector?: unknown } | undefined)?.selector;
  if (!sel || typeof sel !== 'object' || Array.isArray(sel) || Object.keys(sel).length === 0) return false;
  if (svc.metadata.namespace !== pod.metadata.namespace) return false;
  const labels = pod.metadata.labels ?? {};
  return Object.entries(sel as Record<string, unknown>).every(([k, v]) => labels[k] === v);
}
