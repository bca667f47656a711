// Watch fan-out end to end over real TLS: a hundred watchers of one resource
// (plus selector, Table and watch-list watchers) each see every event of a
// burst, in order; a watcher that stops reading its socket is cut off with a
// clean end of stream (as kube-apiserver's cacher does), counted in
// apiserver_terminated_watchers_total, and resumes from the last
// resourceVersion it saw, while the others carry on. No timing is asserted.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../client/testing.js';
import { startControlPlane, type ControlPlane } from '../controlplane/control-plane.js';
import { serveOptions } from '../controlplane/options.js';
import { httpRequest, rawWatch, type RawWatch, type Target } from './support/raw-http.js';

interface Event {
  type: string;
  object: { metadata?: { name?: string; resourceVersion?: string; annotations?: Record<string, string> }; rows?: unknown[]; columnDefinitions?: unknown[] } & Record<string, unknown>;
}

type Watch = RawWatch<Event>;

function watch(t: Target, path: string, query: Record<string, string>, accept = 'application/json'): Watch {
  const u = new URL(path, t.url);
  u.searchParams.set('watch', 'true');
  for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
  return rawWatch<Event>(t, u.pathname + u.search, { accept });
}

const names = (w: Watch, type = 'ADDED') => w.events.filter((e) => e.type === type).map((e) => e.object.metadata!.name!);
const rvs = (w: Watch) => w.events.filter((e) => e.type !== 'BOOKMARK' && e.type !== 'ERROR').map((e) => Number(e.object.metadata!.resourceVersion));
const increasing = (xs: number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]);

// A generous bound so a broken server fails the test instead of hanging it; not a timing assertion.
const until = (cond: () => boolean | Promise<boolean>, what: string) => eventually(cond, what, 120_000);

describe('watch fan-out', () => {
  let cp: ControlPlane;
  let dir: string;
  let t: Target;
  const send = (method: string, path: string, body?: unknown) => httpRequest(t, method, path, body === undefined ? undefined : JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } });
  const rvOf = async (path: string) => (await send('GET', `${path}?limit=1`)).json.metadata.resourceVersion as string;
  const terminated = async () => {
    const text = (await httpRequest(t, 'GET', '/metrics')).text;
    const m = /^apiserver_terminated_watchers_total\{group="",resource="configmaps"\} (\d+)/m.exec(text);
    return m ? Number(m[1]) : 0;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wp-fanout-'));
    cp = await startControlPlane(
      serveOptions({ dataDir: dir, storage: 'sqlite', apiOnly: true, httpLimits: { watchBufferBytes: 1024 * 1024, watchDrainTimeoutMs: 120_000 } }),
    );
    t = { url: cp.url, caPem: cp.caPem, adminToken: cp.adminToken };
    for (const ns of ['fan', 'stall']) assert.equal((await send('POST', '/api/v1/namespaces', { metadata: { name: ns } })).status, 201);
  });

  after(async () => {
    await cp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a hundred watchers of one resource each see every event of a burst, in order; selectors, Tables and watch-list too', async () => {
    const path = '/api/v1/namespaces/fan/configmaps';
    assert.equal((await send('POST', path, { metadata: { name: 'before' } })).status, 201);
    const rv = await rvOf(path);
    const plain = Array.from({ length: 100 }, () => watch(t, path, { resourceVersion: rv, allowWatchBookmarks: 'true' }));
    const even = Array.from({ length: 3 }, () => watch(t, path, { resourceVersion: rv, labelSelector: 'parity=even' }));
    const tables = Array.from({ length: 3 }, () => watch(t, path, { resourceVersion: rv }, 'application/json;as=Table;v=v1;g=meta.k8s.io'));
    const list = watch(t, path, { sendInitialEvents: 'true', allowWatchBookmarks: 'true', resourceVersionMatch: 'NotOlderThan' });
    const all = [...plain, ...even, ...tables, list];
    await Promise.all(all.map((w) => w.response));
    // The burst: creates from many clients at once, then updates and deletes.
    const N = 200;
    const created = await Promise.all(Array.from({ length: N }, (_, i) => send('POST', path, { metadata: { name: `c${i}`, labels: { parity: i % 2 ? 'odd' : 'even' } }, data: { i: String(i) } })));
    assert.ok(created.every((r) => r.status === 201));
    for (let i = 0; i < 10; i++) assert.equal((await send('DELETE', `${path}/c${i}`)).status, 200);
    for (const w of plain) await until(() => names(w, 'DELETED').length === 10, 'deletes on every watcher');
    for (const w of even) await until(() => names(w, 'DELETED').length === 5, 'deletes on the selector watchers');
    for (const w of tables) await until(() => w.events.filter((e) => e.type === 'DELETED').length === 10, 'deletes on the Table watchers');
    await until(() => names(list, 'DELETED').length === 10, 'deletes on the watch-list');

    // Every plain watcher saw exactly the same stream: each create once, in resourceVersion order.
    const expected = plain[0].events.filter((e) => e.type !== 'BOOKMARK').map((e) => `${e.type} ${e.object.metadata!.name} ${e.object.metadata!.resourceVersion}`);
    assert.equal(expected.length, N + 10);
    assert.deepEqual(new Set(names(plain[0])), new Set(Array.from({ length: N }, (_, i) => `c${i}`)));
    for (const w of plain) {
      assert.deepEqual(w.events.filter((e) => e.type !== 'BOOKMARK').map((e) => `${e.type} ${e.object.metadata!.name} ${e.object.metadata!.resourceVersion}`), expected);
      assert.ok(increasing(rvs(w)), 'resourceVersions increase');
    }
    for (const w of even) {
      assert.deepEqual(names(w).sort(), Array.from({ length: N / 2 }, (_, i) => `c${i * 2}`).sort(), 'only the selected objects');
      assert.ok(increasing(rvs(w)));
    }
    for (const w of tables) {
      const adds = w.events.filter((e) => e.type === 'ADDED');
      assert.equal(adds.length, N);
      assert.ok(adds[0].object.columnDefinitions!.length > 0, 'the first Table event names the columns');
      assert.ok(adds.slice(1).every((e) => e.object.columnDefinitions!.length === 0 && e.object.rows!.length === 1), 'later ones carry one row each');
    }
    // Watch-list: the initial state, the end-of-initial-events bookmark, then the burst.
    const bookmarkAt = list.events.findIndex((e) => e.type === 'BOOKMARK' && e.object.metadata!.annotations?.['k8s.io/initial-events-end'] === 'true');
    assert.deepEqual(list.events.slice(0, bookmarkAt).map((e) => `${e.type} ${e.object.metadata!.name}`), ['ADDED before']);
    assert.deepEqual(new Set(names(list).slice(1)), new Set(names(plain[0])));
    for (const w of all) w.close();
    assert.equal(await terminated(), 0, 'no watcher was cut off');
  });

  it('cuts off a watcher that does not read its socket, cleanly, while the others see everything; it resumes from its last resourceVersion', async () => {
    const path = '/api/v1/namespaces/stall/configmaps';
    const rv = await rvOf(path);
    const readers = Array.from({ length: 3 }, () => watch(t, path, { resourceVersion: rv }));
    const stalled = watch(t, path, { resourceVersion: rv });
    await Promise.all(readers.map((w) => w.response));
    (await stalled.response).pause();
    // Large objects, until the stalled watcher's backlog passes the server's bound (kernel
    // socket buffers take some megabytes first); bounded in count.
    const big = 'x'.repeat(256 * 1024);
    let n = 0;
    while ((await terminated()) === 0 && n < 400) {
      const batch = await Promise.all(Array.from({ length: 8 }, () => send('POST', path, { metadata: { name: `s${n++}` }, data: { big } })));
      assert.ok(batch.every((r) => r.status === 201));
      for (const w of readers) await until(() => names(w).length === n, `the readers to keep up (${n}: ${readers.map((r) => names(r).length)}, stalled ${names(stalled).length})`);
    }
    assert.equal(await terminated(), 1, 'the stalled watcher was cut off and counted');
    // The others carry on.
    for (let i = 0; i < 5; i++, n++) assert.equal((await send('POST', path, { metadata: { name: `s${n}` }, data: { small: 'y' } })).status, 201);
    const all = Array.from({ length: n }, (_, i) => `s${i}`);
    for (const w of readers) {
      await until(() => names(w).length === n, 'the readers to see everything');
      assert.deepEqual(names(w), all);
      w.close();
    }
    // Reading again, the stalled watcher gets what was queued for it and a clean end, no error.
    (await stalled.response).resume();
    assert.equal(await stalled.ended, 'end');
    const got = names(stalled);
    assert.ok(got.length < n, 'it was cut off before the end');
    assert.deepEqual(got, all.slice(0, got.length), 'what it got has no gap');
    assert.ok(!stalled.events.some((e) => e.type === 'ERROR'));
    // It resumes where it stopped, as client-go's reflector does after a watch ends.
    const last = stalled.events[stalled.events.length - 1]?.object.metadata?.resourceVersion ?? rv;
    const resumed = watch(t, path, { resourceVersion: last });
    await until(() => names(resumed).length === n - got.length, 'the resumed watch to catch up');
    assert.deepEqual([...got, ...names(resumed)], all);
    resumed.close();
  });
});
