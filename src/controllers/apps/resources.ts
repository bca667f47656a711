// The resources the apps controllers read and write, named once, and the
// index of pods and ReplicaSets by the uid of their controlling owner.

import type { KObject } from '../../api/object.js';
import type { GroupVersionResource } from '../../client/types.js';

export const DEPLOYMENTS: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'deployments' };
export const REPLICA_SETS: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'replicasets' };
export const PODS: GroupVersionResource = { group: '', version: 'v1', resource: 'pods' };

/** Informer index: the uid of an object's controller (any kind). */
export const CONTROLLER_INDEX = 'controller-uid';
export const controllerIndexer = (o: KObject): string[] => {
  const ref = o.metadata.ownerReferences?.find((r) => r.controller);
  return ref ? [ref.uid] : [];
};

/** Informer index: namespace, for lookups by namespace. */
export const NAMESPACE_INDEX = 'namespace';
export const namespaceIndexer = (o: KObject): string[] => [o.metadata.namespace ?? ''];

/** Informer index: the namespace of objects no controller owns, the only candidates for adoption. */
export const ORPHAN_INDEX = 'orphans-by-namespace';
export const orphanIndexer = (o: KObject): string[] => (o.metadata.ownerReferences?.some((r) => r.controller) ? [] : [o.metadata.namespace ?? '']);

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
