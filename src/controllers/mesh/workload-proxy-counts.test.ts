import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../../api/object.js';
import { keyOf } from '../../client/object-key.js';
import { countProxies } from './proxy-status.js';
import { dataplane, type InboundState } from './test-support.js';
import { WorkloadProxyCounts } from './workload-proxy-counts.js';

const insight = (namespace: string, name: string, open: boolean): KObject => ({
  apiVersion: 'kuma.io/v1alpha1',
  kind: 'DataplaneInsight',
  metadata: { name, namespace },
  status: { subscriptions: [{ id: `${name}-1`, controlPlaneInstanceId: 'cp', connectTime: 't0', ...(open ? {} : { disconnectTime: 't1' }) }] },
});

/** A stand-in for the two informers: caches plus the events they would report (cache first, then handlers, as Informer does). */
function fixture() {
  const dps = new Map<string, KObject>();
  const dpis = new Map<string, KObject>();
  const changed: string[] = [];
  let insightReads = 0;
  const counts = new WorkloadProxyCounts({
    insightOf: (ns, name) => {
      insightReads++;
      return dpis.get(keyOf(ns, name));
    },
    onChange: (k) => changed.push(k),
  });
  const put = (m: Map<string, KObject>, h: typeof counts.dataplaneHandler, o: KObject) => {
    const k = keyOf(o.metadata.namespace, o.metadata.name!);
    const old = m.get(k);
    m.set(k, o);
    if (old) h.onUpdate!(old, o);
    else h.onAdd!(o);
  };
  const del = (m: Map<string, KObject>, h: typeof counts.dataplaneHandler, ns: string, name: string) => {
    const old = m.get(keyOf(ns, name));
    m.delete(keyOf(ns, name));
    if (old) h.onDelete!(old);
  };
  return {
    counts,
    changed,
    reads: () => insightReads,
    putDp: (o: KObject) => put(dps, counts.dataplaneHandler, o),
    delDp: (ns: string, name: string) => del(dps, counts.dataplaneHandler, ns, name),
    putDpi: (o: KObject) => put(dpis, counts.insightHandler, o),
    delDpi: (ns: string, name: string) => del(dpis, counts.insightHandler, ns, name),
    /** The old way: walk every Dataplane of the Workload. */
    recount: (ns: string, workload: string, mesh = 'default') =>
      countProxies(
        [...dps.values()].filter((d) => d.metadata.namespace === ns && d.metadata.labels?.['kuma.io/workload'] === workload && (d.metadata.labels?.['kuma.io/mesh'] ?? 'default') === mesh),
        (d) => dpis.get(keyOf(d.metadata.namespace, d.metadata.name!)),
      ),
  };
}

const state = (ready: boolean): { inbounds: { state: InboundState }[] } => ({ inbounds: [{ state: ready ? 'Ready' : 'NotReady' }] });

describe('workload proxy counts', () => {
  it('follows adds, insight changes, health flips, relabels and deletes', () => {
    const f = fixture();
    f.putDpi(insight('ns', 'early', true)); // insight before its Dataplane: read when the Dataplane arrives
    f.putDp(dataplane('ns', 'early', 'web'));
    f.putDp(dataplane('ns', 'sick', 'web', { inbounds: [{ state: 'Ready', ready: false }] }));
    f.putDp(dataplane('ns', 'bare', 'web', { inbounds: [] }));
    f.putDp(dataplane('ns', 'stray', 'web', { mesh: 'other' }));
    f.putDp(dataplane('ns', 'nolabel', undefined));
    assert.deepEqual(f.counts.get('ns/web', 'default'), { connected: 1, healthy: 1, total: 3 });
    assert.deepEqual(f.counts.get('ns/web', 'other'), { connected: 0, healthy: 1, total: 1 });
    assert.deepEqual(f.counts.get('ns/web', 'default'), f.recount('ns', 'web'));

    f.putDpi(insight('ns', 'bare', true));
    f.putDpi(insight('ns', 'early', false));
    f.putDp(dataplane('ns', 'sick', 'web')); // now Ready
    assert.deepEqual(f.counts.get('ns/web', 'default'), { connected: 1, healthy: 2, total: 3 });

    f.putDp(dataplane('ns', 'bare', 'api', { inbounds: [] })); // moves to another workload, its insight with it
    assert.deepEqual(f.counts.get('ns/web', 'default'), { connected: 0, healthy: 2, total: 2 });
    assert.deepEqual(f.counts.get('ns/api', 'default'), { connected: 1, healthy: 0, total: 1 });
    f.changed.length = 0;
    f.putDp(dataplane('ns', 'bare', undefined, { inbounds: [] })); // label removed
    assert.deepEqual(f.changed, ['ns/api']);
    assert.deepEqual(f.counts.get('ns/api', 'default'), { connected: 0, healthy: 0, total: 0 });

    f.delDpi('ns', 'early');
    f.delDp('ns', 'sick');
    assert.deepEqual(f.counts.get('ns/web', 'default'), { connected: 0, healthy: 1, total: 1 });
    assert.deepEqual(f.counts.get('ns/web', 'default'), f.recount('ns', 'web'));
    f.delDp('ns', 'early');
    f.delDp('ns', 'stray');
    f.delDp('ns', 'nolabel');
    assert.equal(f.counts.size, 0, 'the unlabelled "bare" is not tracked');
  });

  it('reports a change only when counts move', () => {
    const f = fixture();
    f.putDp(dataplane('ns', 'a', 'web'));
    assert.deepEqual(f.changed, ['ns/web']);
    f.putDp({ ...dataplane('ns', 'a', 'web'), metadata: { ...dataplane('ns', 'a', 'web').metadata, annotations: { x: 'y' } } });
    f.putDpi(insight('ns', 'a', false)); // never connected → still not connected
    f.putDpi(insight('ns', 'nobody', true)); // no Dataplane
    assert.deepEqual(f.changed, ['ns/web']);
  });

  it('keeps a workload of thousands of proxies right with constant work per change', () => {
    const f = fixture();
    const n = 5000;
    for (let i = 0; i < n; i++) {
      f.putDp(dataplane('big', `dp-${i}`, 'w', state(i % 2 === 0)));
      f.putDpi(insight('big', `dp-${i}`, i % 3 === 0));
    }
    assert.equal(f.reads(), n, 'one insight read per Dataplane event, never a walk of the workload');
    assert.deepEqual(f.counts.get('big/w', 'default'), f.recount('big', 'w'));

    // Flip every proxy's health and connection, then disconnect all (a shutdown), then delete all.
    const before = f.reads();
    f.changed.length = 0;
    for (let i = 0; i < n; i++) {
      f.putDp(dataplane('big', `dp-${i}`, 'w', state(i % 2 !== 0)));
      f.putDpi(insight('big', `dp-${i}`, i % 3 !== 0));
    }
    assert.equal(f.reads() - before, n);
    assert.equal(f.changed.length, 2 * n, 'each flip changes the counts once');
    assert.deepEqual(f.counts.get('big/w', 'default'), f.recount('big', 'w'));
    assert.deepEqual(f.counts.get('big/w', 'default'), { connected: n - Math.ceil(n / 3), healthy: n / 2, total: n });

    for (let i = 0; i < n; i++) f.putDpi(insight('big', `dp-${i}`, false));
    assert.deepEqual(f.counts.get('big/w', 'default'), { connected: 0, healthy: n / 2, total: n });
    for (let i = 0; i < n; i++) f.delDp('big', `dp-${i}`);
    assert.deepEqual(f.counts.get('big/w', 'default'), { connected: 0, healthy: 0, total: 0 });
    assert.equal(f.counts.size, 0);
    assert.equal(f.reads() - before, n, 'disconnects and deletes read no insight');
  });
});
