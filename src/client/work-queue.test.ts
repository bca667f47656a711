import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkQueue } from './work-queue.js';

describe('WorkQueue', () => {
  it('holds a key once however often it is added, in FIFO order', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('b');
    q.add('a');
    assert.equal(q.length, 2);
    assert.equal(await q.get(), 'a');
    assert.equal(await q.get(), 'b');
    assert.equal(q.length, 0);
  });

  it('never hands out a key that is being processed; an add meanwhile re-queues it on done', async () => {
    const q = new WorkQueue();
    q.add('a');
    const a = await q.get();
    q.add('a');
    q.add('a');
    assert.equal(q.length, 0, 'a is processing, so it waits outside the queue');
    let second: string | undefined;
    const waiting = q.get().then((k) => (second = k));
    await Promise.resolve();
    assert.equal(second, undefined);
    q.done(a!);
    await waiting;
    assert.equal(second, 'a');
    q.done('a');
    assert.equal(q.length, 0);
  });

  it('wakes a waiting worker when a key arrives', async () => {
    const q = new WorkQueue();
    const got = q.get();
    q.add('x');
    assert.equal(await got, 'x');
  });

  it('delays with addAfter; an earlier deadline replaces a later one', async () => {
    const q = new WorkQueue();
    q.addAfter('late', 1_000_000);
    q.addAfter('late', 1);
    q.addAfter('now', 0);
    assert.equal(q.length, 1);
    assert.equal(await q.get(), 'now');
    assert.equal(await q.get(), 'late');
    q.shutDown();
  });

  it('backs off per key exponentially up to the cap, and forget resets it', async () => {
    const q = new WorkQueue({ baseDelayMs: 5, maxDelayMs: 1000 });
    assert.deepEqual([0, 1, 2, 3, 10, 40].map((n) => q.backoff(n)), [5, 10, 20, 40, 1000, 1000]);
    q.addRateLimited('k');
    q.addRateLimited('k');
    assert.equal(q.numRequeues('k'), 2);
    assert.equal(q.numRequeues('other'), 0);
    assert.equal(await q.get(), 'k');
    q.done('k');
    q.forget('k');
    assert.equal(q.numRequeues('k'), 0);
    q.shutDown();
  });

  it('shutDown releases waiting workers and ignores further adds', async () => {
    const q = new WorkQueue();
    const waiting = q.get();
    q.addAfter('t', 1_000_000);
    q.shutDown();
    assert.equal(await waiting, undefined);
    q.add('x');
    assert.equal(await q.get(), undefined);
    assert.equal(q.isShutDown, true);
  });
});
