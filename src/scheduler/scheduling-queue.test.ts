// The scheduling queue: parked units stay parked until a cluster change, a
// burst of changes moves them once, and backoff grows per failure.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SchedulingQueue } from './scheduling-queue.js';

const turn = () => new Promise((r) => setImmediate(r));

describe('scheduling queue', () => {
  it('keeps a unit that did not fit parked until the cluster changes', async () => {
    const q = new SchedulingQueue({ initialBackoffMs: 0 });
    q.add('u');
    assert.equal(await q.get(), 'u');
    q.park('u');
    q.done('u');
    await turn();
    assert.equal(q.length, 0, 'no retry without a change');
    assert.equal(q.parkedCount, 1);
    q.clusterChanged();
    q.clusterChanged();
    await turn();
    assert.equal(q.length, 1);
    assert.equal(q.parkedCount, 0);
    assert.equal(await q.get(), 'u');
    q.done('u');
    q.shutDown();
  });

  it('lets new work for a parked unit through at once, and forgets backoff on success', async () => {
    const q = new SchedulingQueue({ initialBackoffMs: 1000 });
    q.park('u');
    q.add('u');
    assert.equal(q.parkedCount, 0);
    assert.equal(q.length, 1);
    q.forget('u');
    q.shutDown();
  });

  it('backs off exponentially up to the ceiling', () => {
    const q = new SchedulingQueue({ initialBackoffMs: 1000, maxBackoffMs: 10_000 });
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => q.backoff(n)), [1000, 2000, 4000, 8000, 10_000, 10_000]);
  });
});
