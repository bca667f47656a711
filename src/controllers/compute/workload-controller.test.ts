// The workload controller against a real in-process registry, with the fake
// kubelet binding pods and marking them Ready: creation, scaling, roll-outs,
// replacement of lost pods, replicas 0, deletion through Deleting.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Informer } from '../../client/informer.js';
import { silentLogger } from '../../client/logger.js';
import { eventually } from '../../client/testing.js';
import { isActive, isReady } from './pod-state.js';
import { PODS, TEMPLATE_HASH_LABEL, WORKLOAD_FINALIZER, WORKLOADS } from './resources.js';
import { conditionOf, startComputeEnv, statusOf, webApp, type ComputeTestEnv } from './testing.js';

const EVENTS = { group: '', version: 'v1', resource: 'events' };

describe('workload controller', () => {
  let env: ComputeTestEnv;
  before(async () => {
    env = await startComputeEnv();
  });
  after(async () => {
    await env.close();
  });

  const workloads = () => env.api.client.resource(WORKLOADS);
  const pods = () => env.api.client.resource(PODS);
  const get = (ns: string, name = 'web-app') => workloads().get(ns, name);
  const podsOf = async (ns: string) => (await pods().list(ns, { labelSelector: 'app=web-app' })).items;
  const activePods = async (ns: string) => (await podsOf(ns)).filter(isActive);
  const running = (ns: string, replicas: number) => async () => {
    const w = await get(ns);
    const st = statusOf(w);
    return st.phase === 'Running' && st.readyReplicas === replicas && st.replicas === replicas && st.observedGeneration === w?.metadata.generation;
  };

  it('runs the basic web-app example: 3 ready pods, owned and labelled, phase Running', async () => {
    const ns = 'project-basic';
    const w = await workloads().create(ns, webApp(ns, { spec: { provider: { nodeSelector: { 'topology.kubernetes.io/zone': 'a' } } } }));
    await eventually(running(ns, 3), 'Running with 3 ready');
    const list = await podsOf(ns);
    assert.equal(list.length, 3);
    for (const p of list) {
      assert.match(p.metadata.name!, /^web-app-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      assert.equal(p.metadata.labels?.app, 'web-app');
      assert.equal(p.metadata.labels?.['compute.miloapis.com/workload'], 'web-app');
      assert.ok(p.metadata.labels?.[TEMPLATE_HASH_LABEL]);
      assert.deepEqual(p.metadata.ownerReferences, [
        { apiVersion: 'compute.miloapis.com/v1alpha1', kind: 'Workload', name: 'web-app', uid: w.metadata.uid, controller: true, blockOwnerDeletion: true },
      ]);
      assert.deepEqual((p.spec as { nodeSelector: unknown }).nodeSelector, { 'topology.kubernetes.io/zone': 'a' });
    }
    const done = (await get(ns))!;
    const st = statusOf(done);
    assert.equal(st.availableReplicas, 3);
    assert.equal(st.updatedReplicas, 3);
    assert.equal(st.selector, 'app=web-app');
    assert.deepEqual(done.metadata.finalizers, [WORKLOAD_FINALIZER]);
    assert.equal(conditionOf(done, 'Available')?.status, 'True');
    assert.equal(conditionOf(done, 'Available')?.reason, 'MinimumReplicasAvailable');
    assert.equal(conditionOf(done, 'Progressing')?.reason, 'ReplicasUpdated');
    assert.equal(conditionOf(done, 'Progressing')?.observedGeneration, done.metadata.generation);
    assert.equal(conditionOf(done, 'ReplicaFailure'), undefined);
    await eventually(async () => {
      const events = (await env.api.client.resource(EVENTS).list(ns)).items;
      return events.filter((e) => e.reason === 'SuccessfulCreate').length === 3 && events.some((e) => e.reason === 'ScalingReplicaSet' && e.message === 'Scaled up to 3 from 0');
    }, 'creation events');
  });

  it('scales 3 → 5 → 2 and back, removing pods down to the count', async () => {
    const ns = 'project-scale';
    await workloads().create(ns, webApp(ns));
    await eventually(running(ns, 3), 'Running with 3');
    await workloads().patch(ns, 'web-app', 'merge', { spec: { replicas: 5 } });
    await eventually(running(ns, 5), 'Running with 5');
    assert.equal((await activePods(ns)).length, 5);
    await workloads().patch(ns, 'web-app', 'merge', { spec: { replicas: 2 } });
    await eventually(running(ns, 2), 'Running with 2');
    await eventually(async () => (await podsOf(ns)).length === 2, 'terminated pods gone');
    const events = (await env.api.client.resource(EVENTS).list(ns)).items.map((e) => e.message);
    assert.ok(events.includes('Scaled up to 5 from 3'));
    assert.ok(events.includes('Scaled down to 2 from 5'));
  });

  it('rolls an image change one pod at a time without dropping below replicas ready', async () => {
    const ns = 'project-roll';
    await workloads().create(ns, webApp(ns));
    await eventually(running(ns, 3), 'Running with 3');
    const oldHash = (await podsOf(ns))[0].metadata.labels![TEMPLATE_HASH_LABEL];

    // Watch every pod change in the namespace: the ready count must never dip below 3.
    const ac = new AbortController();
    const inf = new Informer(pods(), { namespace: ns, log: silentLogger });
    let minReady = Infinity;
    let maxActive = 0;
    const check = () => {
      if (!inf.hasSynced) return; // the first list arrives one pod at a time
      const live = inf.list().filter(isActive);
      minReady = Math.min(minReady, live.filter(isReady).length);
      maxActive = Math.max(maxActive, live.length);
    };
    inf.addHandler({ onAdd: check, onUpdate: check, onDelete: check });
    const updated: number[] = [];
    const winf = new Informer(workloads(), { namespace: ns, log: silentLogger });
    winf.addHandler({ onUpdate: (_o, w) => void updated.push(statusOf(w).updatedReplicas as number) });
    const runs = [inf.start(ac.signal), winf.start(ac.signal)];
    await inf.waitForSync();
    await winf.waitForSync();

    const w = (await get(ns))!;
    const template = structuredClone((w.spec as { template: { spec: { containers: { image: string }[] } } }).template);
    template.spec.containers[0].image = 'nginx:1.26';
    await workloads().patch(ns, 'web-app', 'merge', { spec: { template } });
    await eventually(async () => {
      const st = statusOf(await get(ns));
      return st.phase === 'Running' && st.updatedReplicas === 3 && st.readyReplicas === 3 && st.replicas === 3;
    }, 'rolled out');
    await eventually(async () => (await podsOf(ns)).length === 3, 'old pods gone');
    ac.abort();
    await Promise.all(runs);

    const now = await podsOf(ns);
    assert.ok(now.every((p) => p.metadata.labels![TEMPLATE_HASH_LABEL] !== oldHash));
    assert.ok(now.every((p) => ((p.spec as { containers: { image: string }[] }).containers[0].image === 'nginx:1.26')));
    assert.ok(minReady >= 3, `ready pods dipped to ${minReady}`);
    assert.ok(maxActive <= 4, `surge went to ${maxActive} pods`);
    // updatedReplicas climbed 0 → 3 through the intermediate steps, never down.
    const seen = updated.filter((n) => n !== undefined);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i] >= seen[i - 1] || seen[i - 1] === 3, `updatedReplicas went ${seen.join(',')}`);
    assert.ok(seen.includes(1) && seen.includes(2), `updatedReplicas steps: ${seen.join(',')}`);
    const events = (await env.api.client.resource(EVENTS).list(ns)).items.map((e) => String(e.reason));
    assert.ok(events.includes('RollingUpdate'));
    await eventually(async () => (await env.api.client.resource(EVENTS).list(ns)).items.some((e) => e.reason === 'RolloutComplete'), 'rollout complete event');
  });

  it('replaces pods deleted from under it', async () => {
    const ns = 'project-replace';
    await workloads().create(ns, webApp(ns));
    await eventually(running(ns, 3), 'Running with 3');
    const before = (await podsOf(ns)).map((p) => p.metadata.name!);
    await pods().delete(ns, before[0]);
    await pods().delete(ns, before[1]);
    await eventually(async () => {
      const names = (await podsOf(ns)).map((p) => p.metadata.name!);
      return names.length === 3 && !names.includes(before[0]) && !names.includes(before[1]);
    }, 'replacements');
    await eventually(running(ns, 3), 'Running again');
  });

  it('keeps no pods for replicas: 0 and reports Running', async () => {
    const ns = 'project-zero';
    await workloads().create(ns, webApp(ns, { replicas: 0 }));
    await eventually(async () => {
      const st = statusOf(await get(ns));
      return st.phase === 'Running' && st.replicas === 0 && st.observedGeneration === 1;
    }, 'Running with 0');
    assert.equal((await podsOf(ns)).length, 0);
    assert.equal(conditionOf(await get(ns), 'Available')?.status, 'True');
  });

  it('passes through Deleting while its finalizer removes the pods, then goes', async () => {
    const ns = 'project-delete';
    await workloads().create(ns, webApp(ns));
    await eventually(running(ns, 3), 'Running with 3');
    const phases: string[] = [];
    const ac = new AbortController();
    const winf = new Informer(workloads(), { namespace: ns, log: silentLogger });
    winf.addHandler({ onUpdate: (_o, w) => void phases.push(String(statusOf(w).phase)) });
    const run = winf.start(ac.signal);
    await winf.waitForSync();
    await workloads().delete(ns, 'web-app');
    await eventually(async () => (await get(ns)) === undefined, 'workload gone');
    assert.equal((await podsOf(ns)).length, 0);
    ac.abort();
    await run;
    assert.ok(phases.includes('Deleting'), `phases seen: ${phases.join(',')}`);
    assert.ok(phases.every((p, i) => i === 0 || phases[i - 1] !== 'Deleting' || p === 'Deleting'), 'never leaves Deleting');
  });

  it('keeps lastTransitionTime and writes nothing while nothing changes', async () => {
    const ns = 'project-stable';
    await workloads().create(ns, webApp(ns, { replicas: 1 }));
    await eventually(running(ns, 1), 'Running with 1');
    const a = (await get(ns))!;
    // A change that is not the workload's own makes the controller look again.
    await workloads().patch(ns, 'web-app', 'merge', { metadata: { annotations: { note: 'x' } } });
    await eventually(async () => statusOf(await get(ns)).observedGeneration === a.metadata.generation, 'seen');
    const b = (await get(ns))!;
    assert.deepEqual(statusOf(b).conditions, statusOf(a).conditions);
  });
});
