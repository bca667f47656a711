// The etcd backend past gRPC's default 4 MiB message: ranges of many small
// objects and of a few large ones read in pages, a store without a key
// prefix, and writes etcd refuses as too large named as such.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Etcd3 } from 'etcd3';
import { startEtcd, type EtcdServer } from '../../testing/etcd-server.js';
import { Recorder } from '../conformance.js';
import { ValueTooLargeError, isValueTooLarge } from '../types.js';
import { readPaged } from './etcd-pages.js';
import { openEtcdStore } from './etcd-store.js';

const MiB = 1024 * 1024;
let etcd: EtcdServer;
before(async () => {
  // Room for a 1 MiB object; etcd's own default is 1.5 MiB.
  etcd = await startEtcd({ maxRequestBytes: 2 * MiB });
});
after(() => etcd.stop());

/** Writes `count` keys straight through an etcd client, 100 per transaction (etcd allows 128). */
async function seed(prefix: string, count: number, value: (i: number) => string): Promise<void> {
  const client = new Etcd3({ hosts: etcd.endpoints });
  try {
    for (let i = 0; i < count; i += 100) {
      const puts = [];
      for (let j = i; j < Math.min(i + 100, count); j++) puts.push({ request_put: { key: Buffer.from(`${prefix}${String(j).padStart(6, '0')}`), value: Buffer.from(value(j)) } });
      await client.kv.txn({ compare: [], success: puts, failure: [] });
    }
  } finally {
    client.close();
  }
}

describe('etcd ranges larger than one gRPC message', () => {
  it('reads 20,000 objects (about 6 MiB) in one range', { timeout: 120_000 }, async () => {
    await seed('/many/k/', 20_000, (i) => JSON.stringify({ i, pad: 'x'.repeat(280) }));
    const s = await openEtcdStore({ endpoints: etcd.endpoints, prefix: '/many' });
    try {
      const res = await s.range('/k/');
      assert.equal(res.items.length, 20_000);
      assert.equal(res.more, false);
      assert.equal(res.items[0].key, '/k/000000');
      assert.equal(res.items[19_999].key, '/k/019999');
      assert.equal(JSON.parse(res.items[12_345].value).i, 12_345);
      // Pages are read at one revision: the result is one snapshot.
      assert.ok(res.items.every((kv) => kv.modRevision <= res.revision));
      const limited = await s.range('/k/', { limit: 15_000, startAfter: '/k/000009' });
      assert.equal(limited.items.length, 15_000);
      assert.equal(limited.items[0].key, '/k/000010');
      assert.equal(limited.more, true);
      assert.equal(await s.count('/k/'), 20_000);
    } finally {
      await s.close();
    }
  });

  it('reads pages at one revision, and starts over if it is compacted mid-read', async () => {
    await seed('/paged/', 7, (i) => `v${i}`);
    const client = new Etcd3({ hosts: etcd.endpoints });
    try {
      const key = Buffer.from('/paged/');
      const end = Buffer.from('/paged0');
      let pages = 0;
      const plain = await readPaged(
        async (req) => {
          // A write between pages is not seen: the later pages read the first page's revision.
          if (pages++ === 1) await client.put('/paged/000006').value('changed');
          return client.kv.range(req);
        },
        key, end, 0, 3,
      );
      assert.deepEqual(plain.kvs.map((kv) => kv.value.toString()), ['v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6']);
      assert.equal(pages, 3);
      pages = 0;
      const restarted = await readPaged(
        async (req) => {
          if (pages++ === 1) {
            const put = await client.put('/paged/000006').value('again');
            await client.kv.compact({ revision: put.header.revision });
          }
          return client.kv.range(req);
        },
        key, end, 0, 3,
      );
      assert.deepEqual(restarted.kvs.map((kv) => kv.value.toString()), ['v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'again']);
      assert.equal(pages, 5, 'one failed page, then three pages from the start');
      const limited = await readPaged((req) => client.kv.range(req), key, end, 4, 3);
      assert.deepEqual([limited.kvs.length, limited.more], [4, true]);
    } finally {
      client.close();
    }
  });

  it('stores and reads back five 1 MiB objects', { timeout: 60_000 }, async () => {
    const s = await openEtcdStore({ endpoints: etcd.endpoints, prefix: '/big' });
    try {
      const values = Array.from({ length: 5 }, (_, i) => String(i).repeat(MiB));
      const before = await s.currentRevision();
      for (const [i, v] of values.entries()) await s.create(`/cm/${i}`, v);
      const res = await s.range('/cm/');
      assert.deepEqual(res.items.map((kv) => kv.value.length), values.map(() => MiB));
      assert.equal(res.items[3].value, values[3]);
      const rec = new Recorder();
      const h = s.watch('/cm/', before, rec);
      await rec.untilEvents(5);
      h.cancel();
      assert.equal(rec.events[4].kv.value, values[4]);
    } finally {
      await s.close();
    }
  });

  it('names a write etcd refuses as too large', async () => {
    const s = await openEtcdStore({ endpoints: etcd.endpoints, prefix: '/huge' });
    try {
      // Over etcd's limit, and over gRPC's (the limit plus 512 KiB) on the server side,
      // often enough that retrying them or counting them as member failures would show.
      for (const size of [2.2 * MiB, 3 * MiB, 3 * MiB, 3 * MiB]) {
        const err = await s.create('/x', 'y'.repeat(size)).then(() => undefined, (e: unknown) => e);
        assert.ok(isValueTooLarge(err), `expected ValueTooLargeError, got ${String(err)}`);
        assert.ok(err instanceof ValueTooLargeError);
        assert.equal(err.key, '/x');
        assert.match(err.message, /too large/);
        assert.match(err.message, /max-request-bytes/);
      }
      const kv = await s.create('/x', 'small');
      const err = await s.update('/x', 'z'.repeat(3 * MiB), kv.modRevision).catch((e: unknown) => e);
      assert.ok(isValueTooLarge(err), String(err));
      assert.equal((await s.get('/x'))?.value, 'small');
    } finally {
      await s.close();
    }
  });
});

describe('etcd without a key prefix', () => {
  it('opens, reads, watches and finds its compaction point', async () => {
    const s = await openEtcdStore({ endpoints: etcd.endpoints });
    try {
      const rec = new Recorder();
      const h = s.watch('/noprefix/', await s.currentRevision(), rec);
      const a = await s.create('/noprefix/a', '1');
      await rec.untilEvents(1);
      h.cancel();
      assert.equal(rec.events[0].kv.key, '/noprefix/a');
      assert.deepEqual((await s.range('/noprefix/')).items, [a]);
      assert.equal((await s.get('/noprefix/a'))?.value, '1');
      assert.ok((await s.compactedRevision()) >= 0);
      assert.ok((await s.currentRevision()) >= a.modRevision);
      // Keys other stores wrote under their prefixes are plain keys here.
      assert.ok((await s.count('/')) >= 1);
    } finally {
      await s.close();
    }
  });
});
