import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { controllerFor, TerminalError } from './controller.js';
import { silentLogger } from './logger.js';
import { eventually, startTestApi, widget, WIDGETS, type TestApi } from './testing.js';

describe('controller runner', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.close());
  const opts = (name: string) => ({ name, log: silentLogger, queue: { baseDelayMs: 1, maxDelayMs: 10 } });

  it('reconciles keys of the watched kind; a throw retries, a terminal error does not, requeueAfter comes back', async () => {
    const rc = api.client.resource(WIDGETS);
    const calls = new Map<string, number>();
    const c = controllerFor(api.client, opts('t1'))
      .for(WIDGETS)
      .complete(async (key) => {
        const n = (calls.get(key) ?? 0) + 1;
        calls.set(key, n);
        if (key === 'r1/flaky' && n < 3) throw new Error('not yet');
        if (key === 'r1/bad') throw new TerminalError('never');
        if (key === 'r1/later' && n === 1) return { requeueAfter: 1 };
      });
    const ac = new AbortController();
    const done = c.start(ac.signal);
    await rc.create('r1', widget('r1', 'flaky'));
    await rc.create('r1', widget('r1', 'bad'));
    await rc.create('r1', widget('r1', 'later'));
    await eventually(() => calls.get('r1/flaky') === 3 && calls.get('r1/later') === 2, 'retries');
    assert.equal(calls.get('r1/bad'), 1);
    assert.equal(c.queue.numRequeues('r1/bad'), 0);
    assert.equal(c.queue.numRequeues('r1/flaky'), 0, 'success forgets the failures');
    ac.abort();
    await done;
  });

  it('maps owned objects to their controller and never runs one key twice at once', async () => {
    const rc = api.client.resource(WIDGETS);
    const owner = await rc.create('r2', widget('r2', 'owner'));
    let inFlight = 0;
    let overlapped = false;
    const seen: string[] = [];
    const c = controllerFor(api.client, { ...opts('t2'), workers: 4 })
      .for(WIDGETS)
      .owns(WIDGETS)
      .complete(async (key) => {
        if (key !== 'r2/owner') return;
        if (++inFlight > 1) overlapped = true;
        seen.push(key);
        await new Promise((r) => setTimeout(r, 2));
        inFlight--;
      });
    const ac = new AbortController();
    const done = c.start(ac.signal);
    const ref = { apiVersion: 'test.workplane.dev/v1', kind: 'Widget', name: 'owner', uid: owner.metadata.uid!, controller: true };
    for (let i = 0; i < 5; i++) await rc.create('r2', widget('r2', `child-${i}`, { metadata: { ownerReferences: [ref] } }));
    for (let i = 0; i < 5; i++) c.enqueue('r2/owner');
    await eventually(() => seen.length >= 2 && inFlight === 0 && c.queue.length === 0, 'owner reconciled');
    assert.equal(overlapped, false);
    ac.abort();
    await done;
  });
});
