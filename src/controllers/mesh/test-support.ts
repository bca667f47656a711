// Test support for the mesh: a real registry serving the core and kuma.io
// kinds, and builders for the objects mesh tests write. Pod status (IP,
// readiness) is set through the status subresource, as a node agent would.

import { coreDefinitions } from '../../api/core/index.js';
import { kumaDefinitions } from '../../api/kuma/index.js';
import { MESH_LABEL, WORKLOAD_LABEL } from '../../api/kuma/labels.js';
import type { KObject } from '../../api/object.js';
import { startTestApi, type TestApi } from '../../client/testing.js';
import type { Client, ResourceClient } from '../../client/types.js';
import { DATAPLANE_INSIGHTS, DATAPLANES, NAMESPACES, PODS } from './resources.js';

export const startMeshTestApi = (): Promise<TestApi> => startTestApi([...coreDefinitions, ...kumaDefinitions]);

export async function createNamespace(client: Client, name: string, labels: Record<string, string> = {}, annotations: Record<string, string> = {}): Promise<KObject> {
  return client.resource(NAMESPACES).create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels, annotations } });
}

export interface PodShape {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  serviceAccountName?: string;
  ports?: number[];
}

export function pod(namespace: string, name: string, s: PodShape = {}): KObject {
  const spec: Record<string, unknown> = {
    containers: [{ name: 'app', image: 'app:1', ports: (s.ports ?? []).map((p) => ({ containerPort: p })) }],
  };
  if (s.serviceAccountName) spec.serviceAccountName = s.serviceAccountName;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels: s.labels ?? {}, annotations: s.annotations ?? {} }, spec };
}

/** What a node agent reports: an IP and the Ready condition. */
export async function setPodStatus(client: Client, namespace: string, name: string, ip: string, ready: boolean): Promise<KObject> {
  const pods = client.resource(PODS);
  const cur = (await pods.get(namespace, name))!;
  const status = { ...((cur.status as Record<string, unknown>) ?? {}), phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
  return pods.updateStatus(namespace, { ...cur, status });
}

export type InboundState = 'Ready' | 'NotReady';

/** A Dataplane registered directly (the Universal flow). `inbounds` lists the states of its inbounds; `health` is set when given. */
export function dataplane(namespace: string, name: string, workload: string | undefined, o: { mesh?: string; inbounds?: { state?: InboundState; ready?: boolean }[] } = {}): KObject {
  const labels: Record<string, string> = {};
  if (workload !== undefined) labels[WORKLOAD_LABEL] = workload;
  if (o.mesh) labels[MESH_LABEL] = o.mesh;
  const inbound = (o.inbounds ?? [{ state: 'Ready' }]).map((i, n) => ({
    port: 8080 + n,
    tags: { 'kuma.io/service': `${workload ?? name}_${namespace}_svc_${8080 + n}` },
    ...(i.state ? { state: i.state } : {}),
    ...(i.ready !== undefined ? { health: { ready: i.ready } } : {}),
  }));
  return { apiVersion: 'kuma.io/v1alpha1', kind: 'Dataplane', metadata: { name, namespace, labels }, spec: { networking: { address: '10.0.0.1', inbound } } };
}

export const createDataplane = (client: Client, dp: KObject) => client.resource(DATAPLANES).create(dp.metadata.namespace, dp);

export type Connection = 'connected' | 'disconnected';

/** A DataplaneInsight with one subscription, open or closed. */
export async function setInsight(client: Client, namespace: string, name: string, c: Connection): Promise<KObject> {
  const sub = { id: `${name}-1`, controlPlaneInstanceId: 'cp-1', connectTime: '2025-01-01T00:00:00Z', ...(c === 'disconnected' ? { disconnectTime: '2025-01-01T00:01:00Z' } : {}) };
  const rc = client.resource(DATAPLANE_INSIGHTS);
  const status = { subscriptions: [sub] };
  const cur = await rc.get(namespace, name);
  if (!cur) {
    const created = await rc.create(namespace, { apiVersion: 'kuma.io/v1alpha1', kind: 'DataplaneInsight', metadata: { name, namespace } });
    return rc.updateStatus(namespace, { ...created, status });
  }
  return rc.updateStatus(namespace, { ...cur, status });
}

const WRITES = new Set(['create', 'update', 'updateStatus', 'patch', 'delete']);

/** A ResourceClient that records the writes made through it (to show a reconcile wrote nothing). */
export function recordingWriter(rc: ResourceClient, calls: string[]): ResourceClient {
  return new Proxy(rc, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        if (WRITES.has(String(prop))) calls.push(String(prop));
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
