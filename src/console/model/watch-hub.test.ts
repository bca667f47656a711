import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiClient } from './api-client.js';
import { WatchHub } from './watch-hub.js';

/** A server that answers lists with one item and holds watches open, counting what it was asked and what was closed. */
function fakeServer() {
  const state = { lists: [] as string[], watches: [] as string[], closed: 0 };
  let onWatch: (() => void) | undefined;
  const fetch = async (input: string): Promise<Response> => {
    const u = new URL(input, 'https://x');
    if (!u.searchParams.has('watch')) {
      state.lists.push(`${u.pathname}${u.search}`);
      return new Response(JSON.stringify({ metadata: { resourceVersion: '5' }, items: [{ metadata: { name: 'a', namespace: 'n', resourceVersion: '4' } }] }));
    }
    state.watches.push(u.pathname);
    const body = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => undefined), cancel: () => void state.closed++ });
    queueMicrotask(() => onWatch?.());
    return new Response(body);
  };
  const watched = (n: number) =>
    new Promise<void>((resolve) => {
      onWatch = () => state.watches.length >= n && resolve();
      onWatch();
    });
  return { state, fetch, watched };
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

describe('WatchHub', () => {
  it('one stream per list however many panels show it; closed once the last one leaves', async () => {
    const s = fakeServer();
    const hub = new WatchHub(new ApiClient('t', s.fetch), { lingerMs: 5, coalesceMs: 1 });
    let a = 0;
    let b = 0;
    const offA = hub.subscribe('/api/v1/pods', undefined, () => a++);
    const offB = hub.subscribe('/api/v1/pods', undefined, () => b++);
    const offC = hub.subscribe('/api/v1/pods', { fieldSelector: 'spec.nodeName=n1' }, () => undefined);
    await s.watched(2);
    assert.deepEqual(s.state.lists, ['/api/v1/pods', '/api/v1/pods?fieldSelector=spec.nodeName%3Dn1']);
    assert.equal(hub.snapshot('/api/v1/pods')?.items.length, 1);
    await tick(5);
    assert.ok(a >= 1 && b >= 1, 'both panels heard of the list');

    offA();
    await tick(10);
    assert.equal(s.state.closed, 0, 'still shown by the other panel');
    offB();
    const offD = hub.subscribe('/api/v1/pods', undefined, () => undefined);
    await tick(10);
    assert.equal(s.state.closed, 0, 'a view replaced by one showing the same list keeps the stream');
    offD();
    offC();
    await tick(20);
    assert.equal(s.state.closed, 2);
    assert.deepEqual(hub.active(), []);
    assert.equal(s.state.lists.length, 2, 'no relist while the stream was kept');
    hub.close();
  });

  it('bursts of changes reach a listener once', async () => {
    const s = fakeServer();
    const hub = new WatchHub(new ApiClient('t', s.fetch), { coalesceMs: 20 });
    let calls = 0;
    const off = hub.subscribe('/api/v1/nodes', undefined, () => calls++);
    await s.watched(1);
    await tick(40);
    assert.equal(calls, 1, 'the list and the phase change arrived as one notification');
    off();
    hub.close();
  });
});
