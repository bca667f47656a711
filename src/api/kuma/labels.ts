// Label keys and well-known values of the kuma.io kinds. They keep Kuma's
// spelling so manifests and selectors written for Kuma carry over unchanged.

import type { KObject } from '../object.js';

export const MESH_LABEL = 'kuma.io/mesh';
export const WORKLOAD_LABEL = 'kuma.io/workload';
export const MANAGED_BY_LABEL = 'kuma.io/managed-by';
export const SIDECAR_INJECTION_LABEL = 'kuma.io/sidecar-injection';
/** Zone a resource comes from; feeds `{{ .Zone }}` in trust-domain templates. */
export const ZONE_LABEL = 'kuma.io/zone';
/** Set on Dataplanes of pods: the pod's namespace and ServiceAccount. */
export const KUBE_NAMESPACE_LABEL = 'k8s.kuma.io/namespace';
export const KUBE_SERVICE_ACCOUNT_LABEL = 'k8s.kuma.io/service-account';

/** Value of MANAGED_BY_LABEL on Workloads the control plane generated. */
export const MANAGED_BY_CONTROLLER = 'k8s-controller';
/** Value of SIDECAR_INJECTION_LABEL that meshes a Pod or Namespace. */
export const SIDECAR_INJECTION_ENABLED = 'enabled';
/** The mesh of anything without a MESH_LABEL. */
export const DEFAULT_MESH = 'default';
/** Default namespace of MeshIdentity and MeshTrust (configurable; not enforced by the schema). */
export const DEFAULT_SYSTEM_NAMESPACE = 'kuma-system';

/** The mesh an object belongs to: its MESH_LABEL, else `default`. */
export function meshOf(obj: KObject): string {
  const m = obj.metadata.labels?.[MESH_LABEL];
  return m ? m : DEFAULT_MESH;
}

/** The workload an object names through WORKLOAD_LABEL, undefined when absent or empty. */
export function workloadOf(obj: KObject): string | undefined {
  const w = obj.metadata.labels?.[WORKLOAD_LABEL];
  return w ? w : undefined;
}
