import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { defineResource } from '../api/definition.js';
import type { KObject } from '../api/object.js';
import { openObject, opt } from '../api/schemas/index.js';
import { openStore } from '../storage/open-store.js';
import type { Store } from '../storage/types.js';
import { AdmissionChain } from './admission.js';
import { Registry } from './registry.js';
import type { ResourceStore, WatchEventType } from './resource-store.js';
import { SharedEncodings } from './shared-encoding.js';
import { WatchCache } from './watch-cache.js';

const ctx = { user: { username: 't', groups: [] }, dryRun: false };
const body = Type.Object({ spec: opt(openObject('Anything.')) }, { description: 'x' });
const thing = defineResource({ group: 'example.com', version: 'v1', kind: 'Thing', plural: 'things', singular: 'thing', namespaced: true, schema: body });

interface Seen {
  type: WatchEventType;
  name: string;
  rv: number;
  shared?: SharedEncodings;
}

describe('watch fan-out: one encoding per event for every watcher', () => {
  let storage: Store;
  let cache: WatchCache;
  let store: ResourceStore;

  before(async () => {
    storage = await openStore({ kind: 'memory' });
    cache = new WatchCache(storage, 8);
    await cache.start();
    const registry = new Registry({ storage, cache, admission: new AdmissionChain() });
    registry.add(thing);
    store = registry.lookup('example.com', 'v1', 'things')!;
  });

  after(async () => {
    cache.stop();
    await storage.close();
  });

  const watch = (opts: { labelSelector?: string; ns?: string }, encode = true) => {
    const seen: Seen[] = [];
    let made = 0;
    const h = store.watch(opts.ns ?? 'a', { resourceVersion: String(cache.revision), labelSelector: opts.labelSelector }, {
      onEvent: (type, obj, shared) => {
        seen.push({ type, name: obj.metadata.name!, rv: Number(obj.metadata.resourceVersion), shared });
        // What an HTTP sink does: the bytes come from the shared encodings, keyed by type and format.
        if (encode && shared) shared.encode(`json\0${type}`, () => (made++, Buffer.from(JSON.stringify({ type, object: obj }))));
      },
      onError: (e) => assert.fail(e),
    });
    return { seen, made: () => made, cancel: () => h.cancel() };
  };

  it('serializes each event once for fifty watchers, in order, with nothing missing', async () => {
    const ws = Array.from({ length: 50 }, () => watch({}));
    for (let i = 0; i < 5; i++) await store.create('a', { metadata: { name: `t${i}` } } as KObject, ctx);
    await store.update('a', 't0', (cur) => ({ ...cur!, spec: { x: 1 } }), ctx);
    await cache.sync();
    const expected = [...['t0', 't1', 't2', 't3', 't4'].map((n) => `ADDED ${n}`), 'MODIFIED t0'];
    for (const w of ws) {
      assert.deepEqual(w.seen.map((e) => `${e.type} ${e.name}`), expected);
      const rvs = w.seen.map((e) => e.rv);
      assert.deepEqual(rvs, [...rvs].sort((x, y) => x - y), 'resourceVersion order');
    }
    // Every watcher got the same encodings object per event, and only the first made the bytes.
    for (let i = 0; i < expected.length; i++) {
      const shared = ws[0].seen[i].shared!;
      assert.ok(shared instanceof SharedEncodings);
      for (const w of ws) assert.equal(w.seen[i].shared, shared);
      assert.equal(shared.made, 1);
    }
    assert.equal(ws.reduce((n, w) => n + w.made(), 0), expected.length);
    for (const w of ws) w.cancel();
  });

  it('keeps selectors right: a label change is MODIFIED for one watcher, ADDED or DELETED for others, each type encoded once', async () => {
    await store.create('a', { metadata: { name: 'sel', labels: { tier: 'web' } } } as KObject, ctx);
    await cache.sync();
    const all = Array.from({ length: 3 }, () => watch({}));
    const web = Array.from({ length: 3 }, () => watch({ labelSelector: 'tier=web' }));
    const db = Array.from({ length: 3 }, () => watch({ labelSelector: 'tier=db' }));
    const other = watch({ ns: 'b' });
    await store.update('a', 'sel', (cur) => ({ ...cur!, metadata: { ...cur!.metadata, labels: { tier: 'db' } } }), ctx);
    await cache.sync();
    for (const w of all) assert.deepEqual(w.seen.map((e) => `${e.type} ${e.name}`), ['MODIFIED sel']);
    for (const w of web) assert.deepEqual(w.seen.map((e) => `${e.type} ${e.name}`), ['DELETED sel']);
    for (const w of db) assert.deepEqual(w.seen.map((e) => `${e.type} ${e.name}`), ['ADDED sel']);
    assert.deepEqual(other.seen, [], 'another namespace sees nothing');
    const shared = all[0].seen[0].shared!;
    for (const w of [...all, ...web, ...db]) assert.equal(w.seen[0].shared, shared);
    assert.equal(shared.made, 3, 'one encoding per event type, not per watcher');
    for (const w of [...all, ...web, ...db, other]) w.cancel();
  });

  it('replays history to a late watcher without shared encodings (it is alone), then shares live events', async () => {
    const from = cache.revision;
    await store.create('a', { metadata: { name: 'late1' } } as KObject, ctx);
    await cache.sync();
    const seen: Seen[] = [];
    const h = store.watch('a', { resourceVersion: String(from) }, { onEvent: (type, obj, shared) => seen.push({ type, name: obj.metadata.name!, rv: 0, shared }), onError: (e) => assert.fail(e) });
    await store.create('a', { metadata: { name: 'late2' } } as KObject, ctx);
    await cache.sync();
    assert.deepEqual(seen.map((e) => `${e.name} ${e.shared ? 'shared' : 'own'}`), ['late1 own', 'late2 shared']);
    h.cancel();
  });

  it('history is trimmed in steps, and a watch from before the trimmed part still resumes (from storage)', async () => {
    const from = cache.revision;
    // The cache keeps 8 per resource here; 20 writes trim it.
    for (let i = 0; i < 20; i++) await store.update('a', 't1', (cur) => ({ ...cur!, spec: { n: i } }), ctx);
    await cache.sync();
    const seen: number[] = [];
    const h = store.watch('a', { resourceVersion: String(from) }, { onEvent: (_t, obj) => seen.push((obj.spec as { n: number }).n), onError: (e) => assert.fail(e) });
    while (seen.length < 20) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(seen, Array.from({ length: 20 }, (_, i) => i));
    h.cancel();
  });
});
