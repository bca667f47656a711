// The etcd backend on a 3-member cluster: whichever member a store's requests
// and its watch stream happen to use, killing it loses nothing. Each member is
// killed in turn (so the one under the watch certainly is), while the store
// keeps writing, reading and watching.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEtcdCluster, type EtcdCluster } from '../../testing/etcd-server.js';
import { Recorder } from '../conformance.js';
import type { Store } from '../types.js';
import { openEtcdStore } from './etcd-store.js';

let etcd: EtcdCluster;
before(async () => {
  etcd = await startEtcdCluster(3);
});
after(() => etcd.stop());

/** Retries while the cluster elects a new leader (a request may land mid-election). */
async function retrying<T>(fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe('etcd store on a 3-member cluster', () => {
  it('writes, reads and watches on while each member in turn is killed', { timeout: 180_000 }, async () => {
    const s: Store = await openEtcdStore({ endpoints: etcd.endpoints, prefix: '/failover' });
    try {
      const rec = new Recorder();
      const h = s.watch('/k/', await s.currentRevision(), rec);
      let written = 0;
      for (const member of etcd.members) {
        await member.kill();
        await retrying(() => s.create(`/k/${member.name}`, `while ${member.name} was down`));
        written++;
        await rec.untilEvents(written);
        assert.equal((await retrying(() => s.get(`/k/${member.name}`)))?.value, `while ${member.name} was down`);
        await member.restart();
      }
      h.cancel();
      assert.equal(rec.error, undefined);
      assert.deepEqual(rec.events.map((e) => e.kv.key), etcd.members.map((m) => `/k/${m.name}`));
      assert.deepEqual((await s.range('/k/')).items.map((kv) => kv.key), etcd.members.map((m) => `/k/${m.name}`).sort());
    } finally {
      await s.close();
    }
  });
});
