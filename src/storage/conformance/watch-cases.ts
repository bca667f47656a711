// Conformance: watches (live, replay, concurrency, compaction, cancel).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompactedError, StorageError, type WatchEvent } from '../types.js';
import { Recorder, TEST_TIMEOUT, withStore, type StoreFactory } from './harness.js';

export function watchCases(factory: StoreFactory): void {
  describe('watch', () => {
    it('delivers later changes under the prefix in order, deletes with the previous value', TEST_TIMEOUT, () =>
      withStore(factory, async (s) => {
        const rec = new Recorder();
        const h = s.watch('/w/a/', await s.currentRevision(), rec);
        const c = await s.create('/w/a/1', 'one');
        await s.create('/w/ab', 'outside');
        const u = await s.update('/w/a/1', 'two', c.modRevision);
        const d = await s.delete('/w/a/1');
        await rec.untilEvents(3);
        h.cancel();
        assert.deepEqual(plain(rec.events), [
          { type: 'put', kv: c },
          { type: 'put', kv: u, prev: c },
          { type: 'delete', kv: { ...u, modRevision: d.modRevision }, prev: u },
        ]);
      }));

    it('replays history after an old revision, then continues live without gap or repeat', TEST_TIMEOUT, () =>
      withStore(factory, async (s) => {
        const a = await s.create('/w/h/a', '1');
        const b = await s.create('/w/h/b', '1');
        const a2 = await s.update('/w/h/a', '2', a.modRevision);
        const d = await s.delete('/w/h/b', b.modRevision);
        const rec = new Recorder();
        const h = s.watch('/w/h/', a.modRevision, rec);
        const live = await s.create('/w/h/c', '1');
        await rec.untilEvents(4);
        h.cancel();
        assert.deepEqual(plain(rec.events), [
          { type: 'put', kv: b },
          { type: 'put', kv: a2, prev: a },
          { type: 'delete', kv: { ...b, modRevision: d.modRevision }, prev: b },
          { type: 'put', kv: live },
        ]);
      }));

    it('gives concurrent writes distinct revisions, each seen exactly once', TEST_TIMEOUT, () =>
      withStore(factory, async (s) => {
        const rec = new Recorder();
        const h = s.watch('/w/n/', await s.currentRevision(), rec);
        const n = 200;
        const kvs = await Promise.all(Array.from({ length: n }, (_, i) => s.create(`/w/n/${i}`, String(i))));
        const revs = kvs.map((kv) => kv.modRevision);
        assert.equal(new Set(revs).size, n);
        await rec.untilEvents(n);
        h.cancel();
        assert.equal(rec.events.length, n);
        const seen = rec.events.map((e) => e.kv.modRevision);
        assert.deepEqual(seen, [...revs].sort((x, y) => x - y));
        assert.deepEqual(new Set(rec.events.map((e) => e.kv.key)), new Set(kvs.map((kv) => kv.key)));
      }));

    it('fails a watch from before the compacted revision with CompactedError', TEST_TIMEOUT, () =>
      withStore(factory, async (s) => {
        const a = await s.create('/w/c/a', '1');
        const a2 = await s.update('/w/c/a', '2', a.modRevision);
        const b = await s.create('/w/c/b', '1');
        await s.compact(b.modRevision);
        assert.ok((await s.compactedRevision()) >= b.modRevision);
        assert.deepEqual(await s.get('/w/c/a'), a2);

        const old = new Recorder();
        s.watch('/w/c/', a.modRevision, old);
        const err = await old.untilError();
        assert.ok(err instanceof CompactedError, String(err));
        assert.ok(err.compacted >= b.modRevision);
        assert.equal(old.events.length, 0);

        // After the compaction point, replayed history still knows previous values.
        const a3 = await s.update('/w/c/a', '3', a2.modRevision);
        const rec = new Recorder();
        const h = s.watch('/w/c/', b.modRevision, rec);
        await rec.untilEvents(1);
        h.cancel();
        assert.deepEqual(plain(rec.events), [{ type: 'put', kv: a3, prev: a2 }]);
      }));

    it('stops delivering after cancel', TEST_TIMEOUT, () =>
      withStore(factory, async (s) => {
        const start = await s.currentRevision();
        const cancelled = new Recorder();
        const witness = new Recorder();
        const h = s.watch('/w/x/', start, cancelled);
        const w = s.watch('/w/x/', start, witness);
        await s.create('/w/x/1', '1');
        await cancelled.untilEvents(1);
        h.cancel();
        await s.create('/w/x/2', '2');
        await s.create('/w/x/3', '3');
        await witness.untilEvents(3);
        w.cancel();
        assert.equal(cancelled.events.length, 1);
        assert.equal(cancelled.error, undefined);
      }));

    it('watches from a future revision only see changes after it', TEST_TIMEOUT, () =>
      withStore(factory, async (s) => {
        const a = await s.create('/w/f/a', '1');
        const rec = new Recorder();
        const h = s.watch('/w/f/', a.modRevision + 1, rec);
        await s.update('/w/f/a', '2', a.modRevision);
        const last = await s.update('/w/f/a', '3', a.modRevision + 1);
        await rec.untilEvents(1);
        h.cancel();
        assert.deepEqual(rec.summary(), [`put /w/f/a@${last.modRevision}`]);
      }));

    it('reports progress to a watcher whose prefix saw no change', TEST_TIMEOUT, () =>
      withStore(factory, async (s) => {
        const rec = new Recorder();
        const h = s.watch('/w/quiet/', await s.currentRevision(), rec);
        const other = await s.create('/w/elsewhere', 'x');
        // Asking for the current revision prompts a progress notice; etcd only
        // answers once the watch is established, so keep asking until it does.
        while (!rec.progress.some((r) => r >= other.modRevision)) {
          await s.currentRevision();
          await new Promise((r) => setTimeout(r, 10));
        }
        h.cancel();
        assert.equal(rec.events.length, 0);
      }));

    it('refuses compaction beyond the current revision', TEST_TIMEOUT, () =>
      withStore(factory, async (s) => {
        const a = await s.create('/w/z', '1');
        await assert.rejects(s.compact(a.modRevision + 1000), StorageError);
      }));
  });
}

/** Events without `prev: undefined` entries, so backends may omit or set them. */
function plain(events: WatchEvent[]): WatchEvent[] {
  return events.map((e) => (e.prev === undefined ? { type: e.type, kv: e.kv } : e) as WatchEvent);
}
