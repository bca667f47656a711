// The resources the node controllers watch, and the pod index by node that
// lets a node's change reach the pods bound to it.

import { isPlainObject, type KObject } from '../../api/object.js';
import type { Informer } from '../../client/informer.js';
import type { SharedInformers } from '../../client/shared-informers.js';

export const NODES = { group: '', version: 'v1', resource: 'nodes' };
export const PODS = { group: '', version: 'v1', resource: 'pods' };
export const LEASES = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };

export const BY_NODE = 'spec.nodeName';

export function podNodeName(pod: KObject): string {
  const n = isPlainObject(pod.spec) ? pod.spec.nodeName : undefined;
  return typeof n === 'string' ? n : '';
}

/** The shared pod informer, indexed by the node each pod is bound to. */
export function podsByNode(informers: SharedInformers): Informer {
  return informers.informerFor(PODS, {
    [BY_NODE]: (pod) => {
      const n = podNodeName(pod);
      return n ? [n] : [];
    },
  });
}

export function isTerminal(pod: KObject): boolean {
  const phase = isPlainObject(pod.status) ? pod.status.phase : undefined;
  return phase === 'Succeeded' || phase === 'Failed';
}
