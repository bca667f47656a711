// Test support for the node controllers: Node, Lease and Pod objects as an
// agent would write them, over the in-process test API.

import { isConflict } from '../../api/errors.js';
import { nowIso, nowMicroIso, type KObject } from '../../api/object.js';
import type { Client } from '../../client/types.js';
import { LEASES, NODES, PODS } from './resources.js';

/** Creates a Node and posts its Ready condition (status is dropped on create, as the agent's is). */
export async function createNode(client: Client, name: string, ready: 'True' | 'False' = 'True', spec: Record<string, unknown> = {}): Promise<KObject> {
  const nodes = client.resource(NODES);
  await nodes.create(undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec });
  return postReady(client, name, ready);
}

/** Posts the node's Ready condition as its agent would (a merge patch: controllers may be writing the node too). */
export async function postReady(client: Client, name: string, ready: 'True' | 'False'): Promise<KObject> {
  const now = nowIso();
  const conditions = [{ type: 'Ready', status: ready, reason: ready === 'True' ? 'KubeletReady' : 'KubeletNotReady', lastHeartbeatTime: now, lastTransitionTime: now }];
  return retryOnConflict(() => client.resource(NODES).patch(undefined, name, 'merge', { status: { conditions } }, { subresource: 'status' }));
}

/**
 * Retries a write the controllers under test may race with. (The registry
 * currently answers a patch that loses a race with 409 instead of retrying it.)
 */
export async function retryOnConflict<T>(fn: () => Promise<T>, tries = 20): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= tries || !isConflict(e)) throw e;
    }
  }
}

/** Creates or renews the node's heartbeat Lease. */
export async function renewLease(client: Client, name: string, namespace = 'kube-node-lease'): Promise<void> {
  const leases = client.resource(LEASES);
  const cur = await leases.get(namespace, name);
  const spec = { holderIdentity: name, leaseDurationSeconds: 40, renewTime: nowMicroIso() };
  if (cur) await retryOnConflict(() => leases.patch(namespace, name, 'merge', { spec }));
  else await leases.create(namespace, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace }, spec });
}

/** Renews the node's Lease every `everyMs` until the returned function is called (and awaited). */
export function heartbeat(client: Client, name: string, everyMs = 100): () => Promise<void> {
  let on = true;
  const loop = (async () => {
    while (on) {
      await renewLease(client, name);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return async () => {
    on = false;
    await loop;
  };
}

export function boundPod(namespace: string, name: string, nodeName: string, spec: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: { nodeName, containers: [{ name: 'c', image: 'busybox' }], ...spec },
  };
}

export async function createPod(client: Client, pod: KObject): Promise<KObject> {
  return client.resource(PODS).create(pod.metadata.namespace, pod);
}

export const taintsOf = (node: KObject | undefined): { key: string; effect: string; timeAdded?: string }[] =>
  ((node?.spec as { taints?: { key: string; effect: string; timeAdded?: string }[] } | undefined)?.taints ?? []);

export const conditionOf = (obj: KObject | undefined, type: string): Record<string, unknown> | undefined =>
  ((obj?.status as { conditions?: Record<string, unknown>[] } | undefined)?.conditions ?? []).find((c) => c.type === type);
