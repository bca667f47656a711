// The roll-out planner: scale-ups, scale-downs and template changes with one
// surge pod and no unavailability.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../../api/object.js';
import { planRollout } from './rollout-plan.js';
import { TEMPLATE_HASH_LABEL } from './resources.js';

let seq = 0;
function pod(hash: string, state: 'ready' | 'unready' | 'unbound' = 'ready', created = `2026-01-01T00:00:${String(seq % 60).padStart(2, '0')}Z`): KObject {
  seq++;
  return {
    metadata: { name: `p${seq}`, creationTimestamp: created, labels: { [TEMPLATE_HASH_LABEL]: hash } },
    spec: state === 'unbound' ? {} : { nodeName: 'n1' },
    status: state === 'ready' ? { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } : { phase: 'Pending' },
  };
}
const names = (pods: KObject[]) => pods.map((p) => p.metadata.name);

describe('planRollout', () => {
  it('creates every missing pod at once when nothing is rolling', () => {
    assert.equal(planRollout([], 'h', 3).creates, 3);
    assert.equal(planRollout([pod('h')], 'h', 5).creates, 4);
  });

  it('scales down the most expendable pods first: unbound, then unready, then newest', () => {
    const ready1 = pod('h', 'ready', '2026-01-01T00:00:01Z');
    const ready2 = pod('h', 'ready', '2026-01-01T00:00:09Z');
    const unready = pod('h', 'unready');
    const unbound = pod('h', 'unbound');
    const plan = planRollout([ready1, ready2, unready, unbound], 'h', 1);
    assert.deepEqual(names(plan.deletes), names([unbound, unready, ready2]));
    assert.equal(plan.creates, 0);
  });

  it('rolls one pod at a time: surge one new pod, then drop one old pod once the new one is ready', () => {
    const old = [pod('old'), pod('old'), pod('old')];
    let plan = planRollout(old, 'new', 3);
    assert.deepEqual({ creates: plan.creates, deletes: plan.deletes.length }, { creates: 1, deletes: 0 });

    const surging = pod('new', 'unready');
    plan = planRollout([...old, surging], 'new', 3);
    assert.deepEqual({ creates: plan.creates, deletes: plan.deletes.length }, { creates: 0, deletes: 0 }, 'waits for the new pod');

    const ready = pod('new');
    plan = planRollout([...old, ready], 'new', 3);
    assert.equal(plan.deletes.length, 1);
    assert.equal(plan.creates, 1, 'the freed slot takes the next new pod');
  });

  it('replaces unready old pods before ready ones', () => {
    const [a, b] = [pod('old'), pod('old', 'unready')];
    const plan = planRollout([a, b, pod('new')], 'new', 2);
    assert.deepEqual(names(plan.deletes), names([b]));
  });

  it('never deletes a ready old pod when that leaves fewer than replicas ready', () => {
    const plan = planRollout([pod('old'), pod('old', 'unready'), pod('new', 'unready')], 'new', 2);
    assert.equal(plan.deletes.length, 0);
    assert.equal(plan.creates, 0);
  });

  it('removes everything for replicas 0', () => {
    const plan = planRollout([pod('old'), pod('new'), pod('new', 'unready')], 'new', 0);
    assert.equal(plan.deletes.length, 3);
    assert.equal(plan.creates, 0);
  });

  it('scaling down during a roll-out drops old pods while enough stay ready', () => {
    const plan = planRollout([pod('old'), pod('old'), pod('old'), pod('old'), pod('new')], 'new', 2);
    assert.equal(plan.deletes.length, 3);
    assert.equal(plan.creates, 1);
  });
});
