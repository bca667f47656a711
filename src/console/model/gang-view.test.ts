import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../../api/object.js';
import { podGroupViews } from './gang-view.js';

const swl: KObject = {
  metadata: { name: 'training', namespace: 'ml' },
  spec: { podGroups: [{ name: 'workers', policy: { gang: { minCount: 3 } } }, { name: 'driver', policy: { basic: {} } }] },
};

const pod = (name: string, group: string, extra: { nodeName?: string; conditions?: unknown[]; ns?: string; uid?: string; workload?: string } = {}): KObject => ({
  metadata: { name, namespace: extra.ns ?? 'ml', uid: extra.uid ?? `uid-${name}` },
  spec: { workloadRef: { name: extra.workload ?? 'training', podGroup: group }, ...(extra.nodeName ? { nodeName: extra.nodeName } : {}) },
  status: { phase: extra.nodeName ? 'Running' : 'Pending', ...(extra.conditions ? { conditions: extra.conditions } : {}) },
});

const failed = (podName: string, message: string, time: string, uid = `uid-${podName}`): KObject => ({
  metadata: { name: `${podName}.${time}`, namespace: 'ml' },
  involvedObject: { kind: 'Pod', name: podName, namespace: 'ml', uid },
  reason: 'FailedScheduling',
  message,
  lastTimestamp: time,
});

describe('podGroupViews', () => {
  it('a gang short of its quorum waits for it; members of other workloads, groups or namespaces are not its own', () => {
    const pods = [pod('w-0', 'workers'), pod('w-1', 'workers'), pod('x', 'workers', { workload: 'other' }), pod('y', 'workers', { ns: 'elsewhere' }), pod('d', 'driver', { nodeName: 'n1' })];
    const [workers, driver] = podGroupViews(swl, pods, []);
    assert.deepEqual(workers.members.map((m) => m.name), ['w-0', 'w-1']);
    assert.equal(workers.state, 'waiting');
    assert.equal(workers.summary, 'waiting for quorum: 2 of 3 pods exist, none binds before 3');
    assert.equal(workers.minCount, 3);
    assert.deepEqual(workers.members[0].waiting, { reason: 'Pending', message: 'waiting for the scheduler' });
    assert.equal(driver.policy, 'basic');
    assert.equal(driver.state, 'bound');
    assert.equal(driver.summary, 'all 1 bound');
    assert.equal(driver.members[0].waiting, undefined);
  });

  it("says why a member waits: the PodScheduled condition first, else the pod's latest FailedScheduling event", () => {
    const cond = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'gang needs minCount 3: 0/3 nodes are available: 3 Insufficient cpu.' };
    const pods = [pod('w-0', 'workers', { conditions: [cond] }), pod('w-1', 'workers'), pod('w-2', 'workers')];
    const events = [
      failed('w-1', 'older', '2026-01-01T00:00:01Z'),
      failed('w-1', 'newest', '2026-01-01T00:00:09Z'),
      failed('w-1', 'from a pod of the same name that was deleted', '2026-01-01T00:00:20Z', 'old-uid'),
      failed('w-0', 'event loses to the condition', '2026-01-01T00:00:30Z'),
    ];
    const [workers] = podGroupViews(swl, pods, events);
    assert.equal(workers.summary, 'waiting: none of 3 bound (all or nothing)');
    assert.deepEqual(workers.members.map((m) => m.waiting), [
      { reason: 'Unschedulable', message: cond.message },
      { reason: 'FailedScheduling', message: 'newest' },
      { reason: 'Pending', message: 'waiting for the scheduler' },
    ]);
  });

  it('counts bound members, and ignores pods being deleted', () => {
    const deleting = { ...pod('w-3', 'workers'), metadata: { name: 'w-3', namespace: 'ml', deletionTimestamp: '2026-01-01T00:00:00Z' } };
    const [workers] = podGroupViews(swl, [pod('w-0', 'workers', { nodeName: 'a' }), pod('w-1', 'workers', { nodeName: 'b' }), pod('w-2', 'workers'), deleting], []);
    assert.equal(workers.bound, 2);
    assert.equal(workers.state, 'partial');
    assert.equal(workers.summary, '2 of 3 bound');
    assert.deepEqual(podGroupViews({ metadata: { name: 'empty' }, spec: {} }, [], []), []);
  });
});
