// The Dataplane the Kubernetes flow keeps for a meshed Pod, as a pure function
// of the Pod, its Namespace and the mesh config, so the controller only
// compares and writes and the shape is testable without an API server.

import {
  KUBE_NAMESPACE_LABEL,
  KUBE_SERVICE_ACCOUNT_LABEL,
  MESH_LABEL,
  WORKLOAD_LABEL,
} from '../../api/kuma/labels.js';
import { isPlainObject, type KObject, type OwnerReference } from '../../api/object.js';
import type { MeshConfig } from '../../mesh/config.js';
import { podMesh, podServiceAccount, podWorkload } from '../../mesh/pod-mesh.js';

export const SERVICE_TAG = 'kuma.io/service';
export const PROTOCOL_TAG = 'kuma.io/protocol';

type Rec = Record<string, unknown>;
const recs = (v: unknown): Rec[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);

export function podIP(pod: KObject): string | undefined {
  const status = isPlainObject(pod.status) ? pod.status : {};
  return typeof status.podIP === 'string' && status.podIP !== '' ? status.podIP : undefined;
}

export function isPodReady(pod: KObject): boolean {
  const status = isPlainObject(pod.status) ? pod.status : {};
  return recs(status.conditions).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Pods that finished never run again: their proxies are gone for good. */
export function isPodTerminal(pod: KObject): boolean {
  const phase = isPlainObject(pod.status) ? pod.status.phase : undefined;
  return phase === 'Succeeded' || phase === 'Failed';
}

export function podOwnerReference(pod: KObject): OwnerReference {
  return { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name!, uid: pod.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** The Pod controlling a Dataplane (the Kubernetes flow), if any. */
export function controllingPod(dp: KObject): OwnerReference | undefined {
  return dp.metadata.ownerReferences?.find((r) => r.controller && r.kind === 'Pod' && r.apiVersion === 'v1');
}

export const SERVICE_NAME_TAG = 'k8s.kuma.io/service-name';
export const SERVICE_PORT_TAG = 'k8s.kuma.io/service-port';

/**
 * As Kuma does: one inbound per port of each Service selecting the pod whose
 * target port matches a TCP container port, tagged
 * `kuma.io/service: <service>_<namespace>_svc_<service port>`. Services are
 * taken in name order; ExternalName and selector-less ones select nothing.
 */
function serviceInbounds(pod: KObject, services: readonly KObject[], namespace: string, ready: boolean): Rec[] {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const containerPorts = recs(spec.containers).flatMap((c) => recs(c.ports)).filter((p) => p.protocol === undefined || p.protocol === 'TCP');
  const out: Rec[] = [];
  for (const svc of [...services].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1))) {
    const svcSpec = isPlainObject(svc.spec) ? svc.spec : {};
    if (svcSpec.type === 'ExternalName') continue;
    for (const sp of recs(svcSpec.ports)) {
      if (sp.protocol !== undefined && sp.protocol !== 'TCP') continue;
      const target = sp.targetPort ?? sp.port;
      const match = containerPorts.find((p) => (typeof target === 'string' && !/^\d+$/.test(target) ? p.name === target : p.containerPort === Number(target)));
      if (!match || typeof match.containerPort !== 'number') continue;
      const protocol = typeof sp.appProtocol === 'string' && sp.appProtocol ? sp.appProtocol : 'tcp';
      const inbound: Rec = {
        port: match.containerPort,
        tags: {
          [SERVICE_TAG]: `${svc.metadata.name}_${namespace}_svc_${String(sp.port)}`,
          [PROTOCOL_TAG]: protocol,
          [SERVICE_NAME_TAG]: svc.metadata.name!,
          [SERVICE_PORT_TAG]: String(sp.port),
        },
        state: ready ? 'Ready' : 'NotReady',
        health: { ready },
      };
      if (typeof match.name === 'string' && match.name) inbound.name = match.name;
      out.push(inbound);
    }
  }
  return out;
}

/**
 * Without a Service selecting the pod: one inbound per distinct TCP container
 * port, the `kuma.io/service` tag `<workload>_<namespace>_svc_<port>` (Kuma's
 * shape, with the workload standing in for the Service name).
 */
function inbounds(pod: KObject, workload: string, namespace: string): Rec[] {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const ready = isPodReady(pod);
  const seen = new Set<number>();
  const out: Rec[] = [];
  for (const c of recs(spec.containers)) {
    for (const p of recs(c.ports)) {
      const port = p.containerPort;
      if (typeof port !== 'number' || seen.has(port) || (p.protocol !== undefined && p.protocol !== 'TCP')) continue;
      seen.add(port);
      const inbound: Rec = {
        port,
        tags: { [SERVICE_TAG]: `${workload}_${namespace}_svc_${port}`, [PROTOCOL_TAG]: 'tcp' },
        state: ready ? 'Ready' : 'NotReady',
        health: { ready },
      };
      if (typeof p.name === 'string' && p.name) inbound.name = p.name;
      out.push(inbound);
    }
  }
  return out;
}

/**
 * The desired Dataplane, or undefined while the pod has no IP (the address is
 * required; the Dataplane appears once the pod is assigned one). Labels are
 * the pod's own (so MeshIdentity selectors can match app labels) overlaid
 * with the four the mesh sets.
 */
export function dataplaneForPod(pod: KObject, namespace: KObject | undefined, config: Pick<MeshConfig, 'workloadLabels'>, services: readonly KObject[] = []): KObject | undefined {
  const address = podIP(pod);
  if (!address) return undefined;
  const ns = pod.metadata.namespace!;
  const workload = podWorkload(pod, config.workloadLabels);
  const fromServices = serviceInbounds(pod, services, ns, isPodReady(pod));
  const labels: Record<string, string> = {
    ...(pod.metadata.labels ?? {}),
    [MESH_LABEL]: podMesh(pod, namespace),
    [WORKLOAD_LABEL]: workload,
    [KUBE_NAMESPACE_LABEL]: ns,
    [KUBE_SERVICE_ACCOUNT_LABEL]: podServiceAccount(pod),
  };
  return {
    apiVersion: 'kuma.io/v1alpha1',
    kind: 'Dataplane',
    metadata: { name: pod.metadata.name, namespace: ns, labels, ownerReferences: [podOwnerReference(pod)] },
    spec: { networking: { address, inbound: fromServices.length ? fromServices : inbounds(pod, workload, ns) } },
  };
}
