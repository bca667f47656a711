// The scheduler against a real in-process registry: binding, spreading,
// unschedulable pods (condition + event, then placed once a node appears),
// taints, selectors, resources, and Workload pods with the basic policy.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from './testing.js';

describe('scheduler', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await h.addNode('n1', { cpu: '2', memory: '4Gi', labels: { disk: 'ssd' } });
    await h.addNode('n2', { cpu: '2', memory: '4Gi', labels: { disk: 'hdd' } });
    await h.addNode('n3', { cpu: '2', memory: '4Gi', labels: { disk: 'hdd' }, taints: [{ key: 'dedicated', value: 'ml', effect: 'NoSchedule' }] });
  });
  after(() => h.close());

  it('binds a pod and marks it PodScheduled=True, with a Scheduled event', async () => {
    await h.addPod('a', 'web');
    const node = await h.waitBound('a', 'web');
    assert.ok(['n1', 'n2'].includes(node), `untainted node expected, got ${node}`);
    const cond = ((await h.pod('a', 'web')).status as any).conditions.find((c: any) => c.type === 'PodScheduled');
    assert.equal(cond.status, 'True');
    assert.deepEqual(await h.eventsFor('a', 'web', 'Scheduled'), [`Successfully assigned a/web to ${node}`]);
  });

  it('spreads pods over the least allocated nodes', async () => {
    await h.addPod('b', 'one', { cpu: '1', tolerations: [{ key: 'dedicated', operator: 'Exists' }] });
    await h.addPod('b', 'two', { cpu: '1', tolerations: [{ key: 'dedicated', operator: 'Exists' }] });
    await h.addPod('b', 'three', { cpu: '1', tolerations: [{ key: 'dedicated', operator: 'Exists' }] });
    const nodes = new Set([await h.waitBound('b', 'one'), await h.waitBound('b', 'two'), await h.waitBound('b', 'three')]);
    assert.equal(nodes.size, 3);
    // Deleting a bound pod is graceful; the scheduler keeps counting it until it is gone.
    for (const n of ['one', 'two', 'three']) await h.pods.delete('b', n, { gracePeriodSeconds: 0 });
  });

  it('follows nodeSelector and tolerations', async () => {
    await h.addPod('c', 'ssd', { nodeSelector: { disk: 'ssd' } });
    assert.equal(await h.waitBound('c', 'ssd'), 'n1');
    await h.addPod('c', 'ml', { nodeSelector: { disk: 'hdd' }, cpu: '1500m', tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'ml', effect: 'NoSchedule' }] });
    assert.ok(['n2', 'n3'].includes(await h.waitBound('c', 'ml')));
  });

  it('marks a pod that fits nowhere unschedulable, then places it when a node is added', async () => {
    await h.addPod('d', 'big', { cpu: '3', nodeSelector: { disk: 'hdd' } });
    const msg = await h.waitUnschedulable('d', 'big');
    assert.equal(
      msg,
      "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: ml}.",
    );
    assert.deepEqual(await h.eventsFor('d', 'big', 'FailedScheduling'), [msg]);
    await h.addNode('n4', { cpu: '4', labels: { disk: 'hdd' } });
    assert.equal(await h.waitBound('d', 'big'), 'n4');
    const cond = ((await h.pod('d', 'big')).status as any).conditions.find((c: any) => c.type === 'PodScheduled');
    assert.equal(cond.status, 'True');
    assert.equal(cond.reason, undefined, 'the Unschedulable reason is gone once bound');
  });

  it('counts requests of bound pods and frees them when a pod is deleted', async () => {
    await h.addNode('n5', { cpu: '2', labels: { pool: 'e' } });
    await h.addPod('e', 'fill', { cpu: '2', nodeSelector: { pool: 'e' } });
    assert.equal(await h.waitBound('e', 'fill'), 'n5');
    await h.addPod('e', 'wait', { cpu: '1', nodeSelector: { pool: 'e' } });
    assert.equal(
      await h.waitUnschedulable('e', 'wait'),
      "0/5 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: ml}, 3 node(s) didn't match Pod's node affinity/selector.",
    );
    await h.pods.delete('e', 'fill', { gracePeriodSeconds: 0 });
    assert.equal(await h.waitBound('e', 'wait'), 'n5');
  });

  it('leaves pods of other schedulers alone', async () => {
    await h.addPod('f', 'mine', {});
    await h.addPod('f', 'theirs', { schedulerName: 'other' });
    await h.waitBound('f', 'mine');
    await h.scheduler.settled();
    assert.equal(await h.nodeOf('f', 'theirs'), '');
  });

  it('holds basic-policy pods until their Workload and pod group exist', async () => {
    await h.addPod('g', 'early', { workloadRef: { name: 'app', podGroup: 'web' } });
    assert.equal(await h.waitUnschedulable('g', 'early'), 'waiting for Workload "app" (pod group "web") to exist');
    assert.deepEqual(await h.eventsFor('g', 'early', 'FailedScheduling'), [], 'waiting is not a scheduling failure');
    await h.addWorkload('g', 'app', [{ name: 'db' }]);
    await h.waitUnschedulable('g', 'early', /^waiting for pod group "web" to exist in Workload "app"$/);
    await h.workloads.delete('g', 'app');
    await h.addWorkload('g', 'app', [{ name: 'db' }, { name: 'web' }]);
    await h.waitBound('g', 'early');
  });
});
