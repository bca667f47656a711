// Gang scheduling of Workload pod groups against a real in-process registry:
// quorum before any attempt, all-or-nothing placement, replica keys and pod
// groups as separate gangs, competing gangs, members beyond minCount, a
// missing Workload, and the feature gates.

import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { startHarness, type Harness } from './testing.js';

const ref = (podGroup: string, podGroupReplicaKey?: string, name = 'job') => ({ name, podGroup, ...(podGroupReplicaKey ? { podGroupReplicaKey } : {}) });
const unitPod = (workloadRef: ReturnType<typeof ref>) => ({ cpu: '1', workloadRef });

describe('gang scheduling', () => {
  let h: Harness;
  afterEach(() => h.close());

  async function nodes(n: number, cpu = '1', prefix = 'n') {
    for (let i = 1; i <= n; i++) await h.addNode(`${prefix}${i}`, { cpu });
  }
  async function pods(ns: string, names: string[], r: ReturnType<typeof ref>) {
    for (const name of names) await h.addPod(ns, name, unitPod(r));
  }
  const nodesOf = (ns: string, names: string[]) => Promise.all(names.map((n) => h.nodeOf(ns, n)));

  it('attempts no member until minCount exist, then binds them together', async () => {
    h = await startHarness();
    await nodes(5, '4');
    await h.addWorkload('t', 'job', [{ name: 'workers', minCount: 4 }]);
    await pods('t', ['w1', 'w2', 'w3'], ref('workers'));
    for (const p of ['w1', 'w2', 'w3']) assert.equal(await h.waitUnschedulable('t', p), 'waiting for gang "t/job/workers" to reach minCount 4 pods');
    assert.deepEqual(await nodesOf('t', ['w1', 'w2', 'w3']), ['', '', '']);
    assert.deepEqual(await h.eventsFor('t', 'w1', 'FailedScheduling'), [], 'waiting for members is not a failure');
    await pods('t', ['w4'], ref('workers'));
    for (const p of ['w1', 'w2', 'w3', 'w4']) await h.waitBound('t', p);
  });

  it('binds none when only some fit, says why on every member, and places all once room appears', async () => {
    h = await startHarness();
    await nodes(3);
    await h.addWorkload('t', 'job', [{ name: 'workers', minCount: 4 }]);
    const names = ['w1', 'w2', 'w3', 'w4'];
    await pods('t', names, ref('workers'));
    const want = 'gang "t/job/workers" of 4 pods needs minCount 4, only 3 can be placed together: 0/3 nodes are available: 3 Insufficient cpu.';
    for (const p of names) assert.equal(await h.waitUnschedulable('t', p, /^gang/), want);
    assert.deepEqual(await nodesOf('t', names), ['', '', '', '']);
    for (const p of names) assert.deepEqual(await h.eventsFor('t', p, 'FailedScheduling'), [want]);
    assert.deepEqual(
      h.scheduler.cache.nodes.map((n) => n.cpu),
      [0, 0, 0],
      'a gang that does not fit holds no reservation',
    );
    await h.addNode('n4', { cpu: '1' });
    assert.deepEqual((await Promise.all(names.map((p) => h.waitBound('t', p)))).sort(), ['n1', 'n2', 'n3', 'n4']);
  });

  it('treats replica keys and pod groups as separate gangs', async () => {
    h = await startHarness();
    await nodes(4, '8');
    await h.addWorkload('t', 'job', [{ name: 'a', minCount: 2 }, { name: 'b', minCount: 3 }]);
    await pods('t', ['r1-0', 'r1-1'], ref('a', 'r1'));
    await pods('t', ['r2-0'], ref('a', 'r2'));
    await pods('t', ['b-0', 'b-1'], ref('b'));
    await h.waitBound('t', 'r1-0');
    await h.waitBound('t', 'r1-1');
    assert.equal(await h.waitUnschedulable('t', 'r2-0'), 'waiting for gang "t/job/a/r2" to reach minCount 2 pods');
    assert.equal(await h.waitUnschedulable('t', 'b-0'), 'waiting for gang "t/job/b" to reach minCount 3 pods');
    await pods('t', ['r2-1'], ref('a', 'r2'));
    await h.waitBound('t', 'r2-0');
    await h.waitBound('t', 'r2-1');
    assert.deepEqual(await nodesOf('t', ['b-0', 'b-1']), ['', '']);
  });

  it('lets one of two competing gangs place fully and the other not at all', async () => {
    h = await startHarness();
    await nodes(4);
    await h.addWorkload('t', 'a', [{ name: 'g', minCount: 4 }]);
    await h.addWorkload('t', 'b', [{ name: 'g', minCount: 4 }]);
    const as = ['a1', 'a2', 'a3', 'a4'];
    const bs = ['b1', 'b2', 'b3', 'b4'];
    for (let i = 0; i < 4; i++) {
      await h.addPod('t', as[i], unitPod(ref('g', undefined, 'a')));
      await h.addPod('t', bs[i], unitPod(ref('g', undefined, 'b')));
    }
    for (const p of as) await h.waitBound('t', p);
    for (const p of bs) assert.match(await h.waitUnschedulable('t', p, /^gang/), /^gang "t\/b\/g" of 4 pods needs minCount 4, only 0 can be placed together: 0\/4 nodes are available: 4 Insufficient cpu\.$/);
    assert.deepEqual(await nodesOf('t', bs), ['', '', '', '']);
    for (const p of as) await h.pods.delete('t', p, { gracePeriodSeconds: 0 });
    for (const p of bs) await h.waitBound('t', p);
  });

  it('places members beyond minCount one by one once the quorum is bound', async () => {
    h = await startHarness();
    await nodes(2);
    await h.addWorkload('t', 'job', [{ name: 'g', minCount: 2 }]);
    await pods('t', ['m1', 'm2'], ref('g'));
    await h.waitBound('t', 'm1');
    await h.waitBound('t', 'm2');
    await pods('t', ['m3'], ref('g'));
    assert.equal(await h.waitUnschedulable('t', 'm3'), '0/2 nodes are available: 2 Insufficient cpu.');
    await h.addNode('n3', { cpu: '1' });
    assert.equal(await h.waitBound('t', 'm3'), 'n3');
  });

  it('waits for a missing Workload, then schedules the gang when it is created', async () => {
    h = await startHarness();
    await nodes(2, '4');
    await pods('t', ['m1', 'm2'], ref('g'));
    for (const p of ['m1', 'm2']) assert.equal(await h.waitUnschedulable('t', p), 'waiting for Workload "job" (pod group "g") to exist');
    await h.addWorkload('t', 'job', [{ name: 'g', minCount: 3 }]);
    assert.equal(await h.waitUnschedulable('t', 'm1', /gang/), 'waiting for gang "t/job/g" to reach minCount 3 pods');
    await pods('t', ['m3'], ref('g'));
    for (const p of ['m1', 'm2', 'm3']) await h.waitBound('t', p);
  });

  it('schedules gang pods one by one with GangScheduling off', async () => {
    h = await startHarness({ GangScheduling: false });
    await nodes(3);
    await h.addWorkload('t', 'job', [{ name: 'g', minCount: 4 }]);
    await pods('t', ['m1', 'm2', 'm3', 'm4'], ref('g'));
    const bound = (await Promise.all(['m1', 'm2', 'm3'].map((p) => h.waitBound('t', p)))).sort();
    assert.deepEqual(bound, ['n1', 'n2', 'n3']);
    assert.equal(await h.waitUnschedulable('t', 'm4'), '0/3 nodes are available: 3 Insufficient cpu.');
  });

  it('ignores workloadRef with GenericWorkload off', async () => {
    h = await startHarness({ GenericWorkload: false });
    await nodes(1);
    await pods('t', ['m1'], ref('g', undefined, 'absent'));
    assert.equal(await h.waitBound('t', 'm1'), 'n1');
  });
});
