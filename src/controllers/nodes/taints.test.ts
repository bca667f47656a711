import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evictionDeadline, reconcileTaints, tolerates, type Taint } from './taints.js';

const taint = (key: string, effect = 'NoExecute', value?: string): Taint => ({ key, effect, ...(value ? { value } : {}) });

describe('taints', () => {
  it('matches tolerations as kube does', () => {
    assert.equal(tolerates({ key: 'a', operator: 'Exists' }, taint('a')), true);
    assert.equal(tolerates({ operator: 'Exists' }, taint('anything')), true);
    assert.equal(tolerates({ key: 'a', value: 'x' }, taint('a', 'NoExecute', 'x')), true);
    assert.equal(tolerates({ key: 'a', operator: 'Equal', value: 'y' }, taint('a', 'NoExecute', 'x')), false);
    assert.equal(tolerates({ key: 'a', operator: 'Exists', effect: 'NoSchedule' }, taint('a')), false);
    assert.equal(tolerates({ key: 'b', operator: 'Exists' }, taint('a')), false);
  });

  it('computes the eviction deadline from the shortest matching toleration', () => {
    const now = 10_000;
    const added = () => 1_000;
    assert.equal(evictionDeadline([taint('a')], [], added, now), now);
    assert.equal(evictionDeadline([taint('a')], [{ key: 'a', operator: 'Exists' }], added, now), Infinity);
    const tols = [
      { key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
      { operator: 'Exists', tolerationSeconds: 5 },
    ];
    assert.equal(evictionDeadline([taint('a')], tols, added, now), 6_000);
    // One untolerated taint is enough to evict now.
    assert.equal(evictionDeadline([taint('a'), taint('b')], [tols[0]], added, now), now);
  });

  it('reconciles only managed taints and keeps timeAdded of those already present', () => {
    const cur: Taint[] = [{ key: 'm', effect: 'NoExecute', timeAdded: 'T0' }, { key: 'user', effect: 'NoSchedule' }];
    assert.equal(reconcileTaints(cur, ['m'], [{ key: 'm', effect: 'NoExecute', timeAdded: 'T1' }]), undefined);
    assert.deepEqual(reconcileTaints(cur, ['m'], []), [{ key: 'user', effect: 'NoSchedule' }]);
    assert.deepEqual(reconcileTaints(cur, ['m', 'n'], [{ key: 'm', effect: 'NoExecute' }, { key: 'n', effect: 'NoSchedule' }]), [...cur, { key: 'n', effect: 'NoSchedule' }]);
  });
});
