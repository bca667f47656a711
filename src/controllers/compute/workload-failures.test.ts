// Workloads that cannot simply run: a missing Network (Pending, then
// progress once it exists, with addresses from its block), a ResourceQuota
// refusing pods (ReplicaFailure/FailedCreate, phase Failed), pods stuck on a
// missing Secret (Failed, then recovery), and the progress deadline.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../client/testing.js';
import { isActive } from './pod-state.js';
import { NETWORKS, PODS, POD_IP_ANNOTATION, POD_NETWORK_ANNOTATION, WORKLOADS } from './resources.js';
import { conditionOf, startComputeEnv, statusOf, webApp, type ComputeTestEnv } from './testing.js';

const QUOTAS = { group: '', version: 'v1', resource: 'resourcequotas' };
const EVENTS = { group: '', version: 'v1', resource: 'events' };

describe('workload controller: failures and waits', () => {
  let env: ComputeTestEnv;
  before(async () => {
    env = await startComputeEnv({
      // Pods of workloads named `broken` wait on a Secret until a test says otherwise.
      kubelet: { fate: (p) => (p.metadata.labels?.['compute.miloapis.com/workload'] === 'broken' ? { waiting: 'CreateContainerConfigError', message: 'secret "db-credentials" not found' } : 'ready') },
    });
  });
  after(async () => {
    await env.close();
  });

  const client = () => env.api.client;
  const get = (ns: string, name = 'web-app') => client().resource(WORKLOADS).get(ns, name);
  const podsIn = async (ns: string) => (await client().resource(PODS).list(ns)).items;

  it('waits in Pending/NetworkNotFound for a missing Network, then gives pods addresses from it', async () => {
    const ns = 'project-net';
    await client().resource(WORKLOADS).create(ns, webApp(ns, { replicas: 2, spec: { networkRef: { name: 'prod-network' } } }));
    await eventually(async () => conditionOf(await get(ns), 'Progressing')?.reason === 'NetworkNotFound', 'NetworkNotFound');
    const w = (await get(ns))!;
    assert.equal(statusOf(w).phase, 'Pending');
    assert.deepEqual(
      { status: conditionOf(w, 'Progressing')?.status, message: conditionOf(w, 'Progressing')?.message },
      { status: 'False', message: 'Unable to find network: prod-network' },
    );
    assert.equal((await podsIn(ns)).length, 0);
    await eventually(async () => (await client().resource(EVENTS).list(ns)).items.some((e) => e.reason === 'NetworkNotFound' && e.type === 'Warning'), 'event');

    await client().resource(NETWORKS).create(ns, {
      apiVersion: 'networking.miloapis.com/v1alpha1',
      kind: 'Network',
      metadata: { name: 'prod-network' },
      spec: { ipam: { cidr: '10.10.0.0/29' } },
    });
    await eventually(async () => statusOf(await get(ns)).phase === 'Running' && statusOf(await get(ns)).readyReplicas === 2, 'Running');
    const pods = await podsIn(ns);
    const ips = pods.map((p) => p.metadata.annotations?.[POD_IP_ANNOTATION]);
    assert.deepEqual(new Set(ips), new Set(['10.10.0.1', '10.10.0.2']));
    for (const p of pods) {
      assert.equal(p.metadata.annotations?.[POD_NETWORK_ANNOTATION], 'prod-network');
      assert.equal((p.status as { podIP?: string }).podIP, p.metadata.annotations?.[POD_IP_ANNOTATION]);
    }
    const netStatus = async () => (await client().resource(NETWORKS).get(ns, 'prod-network'))?.status as { allocated: number; available: number };
    await eventually(async () => (await netStatus()).allocated === 2, 'network counts');
    assert.equal((await netStatus()).available, 4);
    assert.equal(conditionOf(await get(ns), 'Progressing')?.reason, 'ReplicasUpdated');

    // Addresses go back to the block when the pods go.
    await client().resource(WORKLOADS).delete(ns, 'web-app');
    await eventually(async () => (await netStatus()).allocated === 0, 'addresses released');
    assert.equal((await netStatus()).available, 6);
  });

  it('reports a quota refusal as ReplicaFailure/FailedCreate and phase Failed, and recovers when the quota grows', async () => {
    const ns = 'project-quota';
    await client().resource(QUOTAS).create(ns, {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'compute-quota' },
      spec: { hard: { 'requests.cpu': '200m', pods: '10' } },
    });
    await client().resource(WORKLOADS).create(ns, webApp(ns, { replicas: 3 }));
    await eventually(async () => statusOf(await get(ns)).phase === 'Failed', 'Failed');
    const w = (await get(ns))!;
    const failure = conditionOf(w, 'ReplicaFailure');
    assert.equal(failure?.status, 'True');
    assert.equal(failure?.reason, 'FailedCreate');
    assert.match(
      String(failure?.message),
      /^pods "web-app-[a-z0-9]{5}" is forbidden: exceeded quota: compute-quota, requested: requests\.cpu=100m, used: requests\.cpu=200m, limited: requests\.cpu=200m$/,
    );
    assert.equal((await podsIn(ns)).filter(isActive).length, 2);
    await eventually(async () => (await client().resource(EVENTS).list(ns)).items.some((e) => e.reason === 'FailedCreate' && String(e.message).startsWith('Error creating: pods "web-app-')), 'FailedCreate event');

    const q = (await client().resource(QUOTAS).get(ns, 'compute-quota'))!;
    await client().resource(QUOTAS).update(ns, { ...q, spec: { hard: { 'requests.cpu': '1', pods: '10' } } });
    await eventually(async () => statusOf(await get(ns)).phase === 'Running' && statusOf(await get(ns)).readyReplicas === 3, 'Running after the quota grew');
    assert.equal(conditionOf(await get(ns), 'ReplicaFailure'), undefined);
  });

  it('fails while pods cannot start for a missing Secret, and recovers when they can', async () => {
    const ns = 'project-secret';
    await client().resource(WORKLOADS).create(ns, { ...webApp(ns, { replicas: 2 }), metadata: { name: 'broken', namespace: ns } });
    await eventually(async () => statusOf(await get(ns, 'broken')).phase === 'Failed', 'Failed');
    const w = (await get(ns, 'broken'))!;
    assert.equal(conditionOf(w, 'Available')?.status, 'False');
    assert.match(String(conditionOf(w, 'Available')?.message), /CreateContainerConfigError: secret "db-credentials" not found/);
    await eventually(async () => (await client().resource(EVENTS).list(ns)).items.some((e) => e.reason === 'PodFailing'), 'PodFailing event');

    env.kubelet.setFate(() => 'ready');
    await eventually(async () => statusOf(await get(ns, 'broken')).phase === 'Running', 'Running once the Secret exists');
  });
});

describe('workload controller: progress deadline', () => {
  let env: ComputeTestEnv;
  before(async () => {
    env = await startComputeEnv({ progressDeadlineSeconds: 0.2, kubelet: { fate: () => 'unscheduled' } });
  });
  after(async () => {
    await env.close();
  });

  it('reports unschedulable pods as ProgressDeadlineExceeded and phase Failed once the deadline passes', async () => {
    const ns = 'project-deadline';
    const workloads = env.api.client.resource(WORKLOADS);
    await workloads.create(ns, webApp(ns, { replicas: 2 }));
    await eventually(async () => conditionOf(await workloads.get(ns, 'web-app'), 'Progressing')?.reason === 'ProgressDeadlineExceeded', 'deadline');
    const w = (await workloads.get(ns, 'web-app'))!;
    assert.equal(statusOf(w).phase, 'Failed');
    assert.equal(conditionOf(w, 'Progressing')?.status, 'False');
    assert.equal(conditionOf(w, 'Progressing')?.message, 'Workload "web-app" has timed out progressing.');

    env.kubelet.setFate(() => 'ready');
    await eventually(async () => statusOf(await workloads.get(ns, 'web-app')).phase === 'Running', 'Running once scheduled');
    assert.equal(conditionOf(await workloads.get(ns, 'web-app'), 'Progressing')?.reason, 'ReplicasUpdated');
  });
});
