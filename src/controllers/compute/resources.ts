// The resources the compute controllers read and write, named once.

import type { GroupVersionResource } from '../../client/types.js';

export const WORKLOADS: GroupVersionResource = { group: 'compute.miloapis.com', version: 'v1alpha1', resource: 'workloads' };
export const NETWORKS: GroupVersionResource = { group: 'networking.miloapis.com', version: 'v1alpha1', resource: 'networks' };
export const PROJECTS: GroupVersionResource = { group: 'resourcemanager.miloapis.com', version: 'v1alpha1', resource: 'projects' };
export const PODS: GroupVersionResource = { group: '', version: 'v1', resource: 'pods' };
export const NAMESPACE_RESOURCE: GroupVersionResource = { group: '', version: 'v1', resource: 'namespaces' };
export const RESOURCE_QUOTAS: GroupVersionResource = { group: '', version: 'v1', resource: 'resourcequotas' };

export const WORKLOAD_API_VERSION = 'compute.miloapis.com/v1alpha1';

/** Pod label carrying the hash of the template the pod was made from. */
export const TEMPLATE_HASH_LABEL = 'compute.miloapis.com/template-hash';
/** Pod annotation recording the address the pod holds in its Network (the allocator's durable record). */
export const POD_IP_ANNOTATION = 'networking.miloapis.com/ip';
/** Pod annotation naming the Network the address came from. */
export const POD_NETWORK_ANNOTATION = 'networking.miloapis.com/network';
/** Keeps a Workload until its pods are gone, so `Deleting` is observable. */
export const WORKLOAD_FINALIZER = 'compute.miloapis.com/workload-protection';
