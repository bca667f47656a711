// Builds a Workload's pod from its template: the template's labels plus the
// workload and template-hash labels, owned by the Workload (so the garbage
// collector and `kubectl describe` tie them together), placed subject to
// spec.provider.nodeSelector, and annotated with its Network address.

import { WORKLOAD_NAME_LABEL } from '../../api/compute/workload.js';
import { clone, isPlainObject, type KObject } from '../../api/object.js';
import { section } from '../../api/core/columns.js';
import { POD_IP_ANNOTATION, POD_NETWORK_ANNOTATION, TEMPLATE_HASH_LABEL, WORKLOAD_API_VERSION } from './resources.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (isPlainObject(v) ? v : {});
const strings = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(obj(v))) if (typeof x === 'string') out[k] = x;
  return out;
};

export const workloadTemplate = (w: KObject): Obj => obj(section(w, 'spec').template);

export const desiredReplicas = (w: KObject): number => {
  const r = section(w, 'spec').replicas;
  return typeof r === 'number' && r >= 0 ? r : 1;
};

export const networkName = (w: KObject): string | undefined => {
  const name = obj(section(w, 'spec').networkRef).name;
  return typeof name === 'string' && name ? name : undefined;
};

export interface PodAddress {
  network: string;
  ip: string;
}

export function podFromTemplate(w: KObject, hash: string, name: string, address?: PodAddress): KObject {
  const template = workloadTemplate(w);
  const meta = obj(template.metadata);
  const labels = { ...strings(meta.labels), [WORKLOAD_NAME_LABEL]: w.metadata.name ?? '', [TEMPLATE_HASH_LABEL]: hash };
  const annotations = strings(meta.annotations);
  if (address) {
    annotations[POD_NETWORK_ANNOTATION] = address.network;
    annotations[POD_IP_ANNOTATION] = address.ip;
  }
  const spec = clone(obj(template.spec));
  const placement = strings(obj(section(w, 'spec').provider).nodeSelector);
  if (Object.keys(placement).length) spec.nodeSelector = { ...strings(spec.nodeSelector), ...placement };
  const metadata: KObject['metadata'] = {
    name,
    namespace: w.metadata.namespace,
    labels,
    ownerReferences: [{ apiVersion: WORKLOAD_API_VERSION, kind: 'Workload', name: w.metadata.name ?? '', uid: w.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
  };
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

/** The uid of the Workload controlling a pod, if any. */
export function controllingWorkload(pod: KObject): { name: string; uid: string } | undefined {
  const ref = pod.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'Workload' && r.apiVersion.startsWith('compute.miloapis.com/'));
  return ref ? { name: ref.name, uid: ref.uid } : undefined;
}

/** `nginx=nginx:1.26,sidecar=x:1` for events about roll-outs. */
export function templateImages(w: KObject): string {
  const containers = obj(workloadTemplate(w).spec).containers;
  if (!Array.isArray(containers)) return '';
  return containers.map((c) => `${String(obj(c).name)}=${String(obj(c).image)}`).join(',');
}
