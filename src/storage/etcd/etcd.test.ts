// The etcd backend against a real etcd (one per file): the shared conformance
// suite, plus key-prefix isolation and compaction-point discovery.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEtcd, type EtcdServer } from '../../testing/etcd-server.js';
import { Recorder, runStoreConformance } from '../conformance.js';
import { rangeCases } from '../conformance/range-cases.js';
import { openEtcdStore } from './etcd-store.js';

let etcd: EtcdServer;
let stores = 0;
before(async () => {
  etcd = await startEtcd();
});
after(() => etcd.stop());

/** Each store gets its own key prefix, so tests share one etcd without seeing each other. */
const open = (prefix = `/test-${++stores}`) => openEtcdStore({ endpoints: etcd.endpoints, prefix });

runStoreConformance('etcd', async () => {
  const store = await open();
  return { store, cleanup: () => store.close() };
});

describe('etcd, two keys per range request', () => {
  rangeCases(async () => {
    const store = await openEtcdStore({ endpoints: etcd.endpoints, prefix: `/test-${++stores}`, pageSize: 2 });
    return { store, cleanup: () => store.close() };
  });
});

describe('etcd specifics', () => {
  it('isolates stores with different prefixes', async () => {
    const [a, b] = [await open('/iso-a'), await open('/iso-b')];
    try {
      const rec = new Recorder();
      const h = b.watch('/k/', await b.currentRevision(), rec);
      await a.create('/k/1', 'from a');
      const own = await b.create('/k/1', 'from b');
      await rec.untilEvents(1);
      h.cancel();
      assert.deepEqual(rec.summary(), [`put /k/1@${own.modRevision}`]);
      assert.deepEqual((await a.range('/')).items.map((kv) => kv.value), ['from a']);
      assert.equal(await b.count('/'), 1);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('finds the compaction point without having compacted itself', async () => {
    const s = await open();
    const fresh = await open();
    try {
      await s.create('/cp/a', '1');
      const b = await s.create('/cp/b', '1');
      await s.compact(b.modRevision);
      assert.equal(await fresh.compactedRevision(), b.modRevision);
    } finally {
      await s.close();
      await fresh.close();
    }
  });
});
