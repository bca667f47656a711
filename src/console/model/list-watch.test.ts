import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiClient } from './api-client.js';
import { ListWatch } from './list-watch.js';
import { objectKey } from './list-state.js';

type Step = (url: URL, init: RequestInit | undefined) => Response;

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const lines = (...events: unknown[]) => new Response(events.map((e) => `${JSON.stringify(e)}\n`).join(''), { status: 200 });
const pod = (name: string, rv: string) => ({ metadata: { name, namespace: 'ns', resourceVersion: rv } });

/**
 * Answers the loop's requests from a script, one step per request, and checks
 * each against what it expects. Once the script is used up it holds the last
 * watch open (as a live server does) and resolves `idle`.
 */
class ScriptedApi {
  readonly urls: string[] = [];
  private resolveIdle!: () => void;
  readonly idle = new Promise<void>((r) => (this.resolveIdle = r));
  cancelled = false;

  constructor(private readonly steps: Step[]) {}

  fetch = async (input: string, init?: RequestInit): Promise<Response> => {
    assert.equal((init?.headers as Record<string, string>).Authorization, 'Bearer t0k', 'every request carries the token');
    const url = new URL(input, 'https://server');
    this.urls.push(`${url.pathname}${url.search}`);
    const step = this.steps.shift();
    if (step) return step(url, init);
    this.resolveIdle();
    return new Response(new ReadableStream({ pull: () => new Promise(() => undefined), cancel: () => void (this.cancelled = true) }));
  };
}

const isList = (u: URL) => !u.searchParams.has('watch');
const watchFrom = (u: URL) => (u.searchParams.get('watch') === '1' ? u.searchParams.get('resourceVersion') : null);

describe('ListWatch', () => {
  it('lists, watches from the list resourceVersion, re-watches from the last event when the server ends the stream, relists on 410', async () => {
    const api = new ScriptedApi([
      (u) => (assert.ok(isList(u)), json({ metadata: { resourceVersion: '10' }, items: [pod('a', '9')] })),
      (u) => (assert.equal(watchFrom(u), '10'), assert.equal(u.searchParams.get('allowWatchBookmarks'), 'true'), lines({ type: 'ADDED', object: pod('b', '11') })),
      (u) => (assert.equal(watchFrom(u), '11'), lines({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '15' } } })),
      (u) => (assert.equal(watchFrom(u), '15'), lines({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 15 (30)' } })),
      (u) => (assert.ok(isList(u)), json({ metadata: { resourceVersion: '31' }, items: [pod('b', '11'), pod('c', '30')] })),
      (u) => (assert.equal(watchFrom(u), '31'), lines({ type: 'DELETED', object: pod('b', '32') }, { type: 'MODIFIED', object: pod('c', '33') })),
    ]);
    let changes = 0;
    const lw = new ListWatch(new ApiClient('t0k', api.fetch), '/api/v1/namespaces/ns/pods', () => changes++, { query: { labelSelector: 'app=web' } });
    lw.start();
    await api.idle;
    assert.equal(api.urls.length, 7);
    assert.ok(api.urls.every((u) => u.startsWith('/api/v1/namespaces/ns/pods?') && u.includes('labelSelector=app%3Dweb')), api.urls.join('\n'));
    assert.equal(watchFrom(new URL(api.urls[6], 'https://x')), '33', 'the last watch resumes after the last event');
    assert.equal(lw.lists, 2);
    const snap = lw.snapshot();
    assert.equal(snap.phase, 'live');
    assert.deepEqual(snap.items.map(objectKey), ['ns/c']);
    assert.ok(changes > 0);
    lw.stop();
    await new Promise((r) => setImmediate(r));
    assert.equal(api.cancelled, true, 'stopping closes the open watch');
  });

  it('a 403 stops the loop with the API message: the panel says "not permitted" and nothing retries', async () => {
    const status = { kind: 'Status', code: 403, reason: 'Forbidden', message: 'nodes is forbidden: User "alice" cannot list resource "nodes" in API group "" at the cluster scope' };
    const api = new ScriptedApi([() => json(status, 403)]);
    let done!: () => void;
    const stopped = new Promise<void>((r) => (done = r));
    const lw = new ListWatch(new ApiClient('t0k', api.fetch), '/api/v1/nodes', () => lw.snapshot().phase === 'forbidden' && done());
    lw.start();
    await stopped;
    assert.equal(lw.snapshot().message, status.message);
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(lw.running, false);
    assert.equal(api.urls.length, 1);
  });

  it('other failures (a 500, a broken stream) are retried with a fresh list', async () => {
    const api = new ScriptedApi([
      () => json({ kind: 'Status', code: 500, reason: 'InternalError', message: 'storage unavailable' }, 500),
      () => json({ metadata: { resourceVersion: '4' }, items: [pod('a', '4')] }),
      () => new Response('{"type":"ADDED","object":{"metadata":{"name":"x","namespace":"ns","resourceVersion":"5"}}}\nnot json\n'),
      (u) => (assert.ok(isList(u)), json({ metadata: { resourceVersion: '6' }, items: [pod('a', '4'), pod('x', '5')] })),
    ]);
    const phases: string[] = [];
    const lw = new ListWatch(new ApiClient('t0k', api.fetch), '/api/v1/namespaces/ns/pods', () => phases.push(lw.snapshot().phase), { retryMs: 1 });
    lw.start();
    await api.idle;
    assert.ok(phases.includes('error'));
    assert.equal(lw.snapshot().phase, 'live');
    assert.deepEqual(lw.snapshot().items.map(objectKey), ['ns/a', 'ns/x']);
    assert.equal(lw.lists, 3);
    lw.stop();
  });
});
