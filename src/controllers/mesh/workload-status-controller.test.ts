import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KObject } from '../../api/object.js';
import { silentLogger } from '../../client/logger.js';
import { SharedInformers } from '../../client/shared-informers.js';
import { eventually, type TestApi } from '../../client/testing.js';
import { startMeshControllers } from './index.js';
import { isProxyConnected } from './proxy-status.js';
import { DATAPLANE_INSIGHTS, DATAPLANES, WORKLOADS, dataplaneInformer } from './resources.js';
import { createDataplane, createNamespace, dataplane, recordingWriter, setInsight, startMeshTestApi } from './test-support.js';
import { WorkloadProxyCounts } from './workload-proxy-counts.js';
import { WorkloadStatusReconciler } from './workload-status-controller.js';

const config = { workloadLabels: [], disallowMultipleMeshesPerNamespace: false, systemNamespace: 'kuma-system' };
const countsOf = (w: KObject | undefined) => (w?.status as { dataplaneProxies?: Record<string, number> } | undefined)?.dataplaneProxies;

describe('workload status controller', () => {
  let api: TestApi;
  const ac = new AbortController();
  let running: Promise<void>;
  const counts = async (ns: string, name: string) => countsOf(await api.client.resource(WORKLOADS).get(ns, name));
  const reaches = (ns: string, name: string, want: Record<string, number>) =>
    eventually(async () => JSON.stringify(await counts(ns, name)) === JSON.stringify(want), `${ns}/${name} status ${JSON.stringify(want)}`);

  before(async () => {
    api = await startMeshTestApi();
    await createNamespace(api.client, 'one');
    await createNamespace(api.client, 'two');
    running = startMeshControllers(api.client, ac.signal, { config, log: silentLogger });
  });
  after(async () => {
    ac.abort();
    await running;
    await api.close();
  });

  it('counts connected, healthy and total proxies per workload and per namespace', async () => {
    const c = api.client;
    await createDataplane(c, dataplane('one', 'ok', 'web')); // connected, Ready
    await setInsight(c, 'one', 'ok', 'connected');
    await createDataplane(c, dataplane('one', 'gone', 'web', { inbounds: [{ state: 'Ready', ready: true }] })); // disconnected, healthy
    await setInsight(c, 'one', 'gone', 'disconnected');
    await createDataplane(c, dataplane('one', 'never', 'web', { inbounds: [{ state: 'NotReady' }] })); // never connected, not healthy
    await createDataplane(c, dataplane('one', 'bare', 'web', { inbounds: [] })); // connected, no inbounds: not healthy
    await setInsight(c, 'one', 'bare', 'connected');
    await createDataplane(c, dataplane('one', 'sick', 'web', { inbounds: [{ state: 'Ready', ready: false }, { state: 'NotReady', ready: true }] }));
    await setInsight(c, 'one', 'sick', 'connected');
    await createDataplane(c, dataplane('one', 'mixed', 'web', { inbounds: [{ state: 'NotReady' }, { state: 'Ready' }] })); // one good inbound suffices
    await createDataplane(c, dataplane('one', 'other', 'api'));
    await createDataplane(c, dataplane('two', 'ok', 'web'));
    await setInsight(c, 'two', 'ok', 'connected');

    await reaches('one', 'web', { connected: 3, healthy: 3, total: 6 });
    await reaches('one', 'api', { connected: 0, healthy: 1, total: 1 });
    await reaches('two', 'web', { connected: 1, healthy: 1, total: 1 });
  });

  it('follows connects, disconnects and health flips as they happen', async () => {
    const c = api.client;
    await setInsight(c, 'one', 'never', 'connected');
    await reaches('one', 'web', { connected: 4, healthy: 3, total: 6 });
    await c.resource(DATAPLANES).patch('one', 'ok', 'merge', { spec: { networking: { inbound: [{ port: 8080, state: 'NotReady' }] } } });
    await reaches('one', 'web', { connected: 4, healthy: 2, total: 6 });
    await setInsight(c, 'one', 'ok', 'disconnected');
    await reaches('one', 'web', { connected: 3, healthy: 2, total: 6 });
    await c.resource(DATAPLANES).delete('one', 'gone');
    await reaches('one', 'web', { connected: 3, healthy: 1, total: 5 });
    await reaches('two', 'web', { connected: 1, healthy: 1, total: 1 });
  });

  it('counts only proxies in the Workload\'s mesh', async () => {
    await createDataplane(api.client, dataplane('two', 'stray', 'web', { mesh: 'elsewhere' }));
    // The warning shows the shared Dataplane informer holds the stray proxy; the next recount must leave it out.
    await eventually(async () => (await api.client.resource({ group: '', version: 'v1', resource: 'events' }).list('two')).items.length > 0, 'multi-mesh warning');
    await setInsight(api.client, 'two', 'ok', 'disconnected');
    await reaches('two', 'web', { connected: 0, healthy: 1, total: 1 });
  });
});

describe('workload status reconciler', () => {
  let api: TestApi;
  const ac = new AbortController();
  let informers: SharedInformers;
  before(async () => {
    api = await startMeshTestApi();
    await createNamespace(api.client, 'ns');
    informers = new SharedInformers(api.client, { log: silentLogger });
    dataplaneInformer(informers);
    informers.informerFor(DATAPLANE_INSIGHTS);
    informers.informerFor(WORKLOADS);
    informers.start(ac.signal);
    await informers.waitForSync(ac.signal);
  });
  after(async () => {
    ac.abort();
    await informers.stopped();
    await api.close();
  });

  it('writes status once, then nothing while the counts hold', async () => {
    await createDataplane(api.client, dataplane('ns', 'd1', 'w'));
    await api.client.resource(WORKLOADS).create('ns', { apiVersion: 'kuma.io/v1alpha1', kind: 'Workload', metadata: { name: 'w', labels: { 'kuma.io/mesh': 'default' } } });
    const wls = informers.informerFor(WORKLOADS);
    await eventually(() => !!wls.get('ns', 'w') && !!informers.informerFor(DATAPLANES).get('ns', 'd1'), 'cached');
    const calls: string[] = [];
    const insights = informers.informerFor(DATAPLANE_INSIGHTS);
    const proxies = new WorkloadProxyCounts({ insightOf: (ns, name) => insights.get(ns, name) });
    informers.informerFor(DATAPLANES).addHandler(proxies.dataplaneHandler); // synced: replays the cached Dataplanes
    insights.addHandler(proxies.insightHandler);
    const r = new WorkloadStatusReconciler(proxies, wls, recordingWriter(api.client.resource(WORKLOADS), calls));
    await r.reconcile('ns/w');
    assert.deepEqual(calls, ['patch']);
    await eventually(() => countsOf(wls.get('ns', 'w'))?.total === 1, 'status cached');
    assert.deepEqual(countsOf(wls.get('ns', 'w')), { connected: 0, healthy: 1, total: 1 });
    await r.reconcile('ns/w');
    assert.deepEqual(calls, ['patch'], 'no second write');
    await r.reconcile('ns/missing');
    assert.deepEqual(calls, ['patch']);
  });

  it('counts a proxy connected when any subscription is open', () => {
    const sub = (id: string, closed: boolean) => ({ id, controlPlaneInstanceId: 'cp', connectTime: 't0', ...(closed ? { disconnectTime: 't1' } : {}) });
    const dpi = (...subs: object[]): KObject => ({ metadata: { name: 'x' }, status: { subscriptions: subs } });
    assert.equal(isProxyConnected(dpi(sub('a', true), sub('b', false))), true);
    assert.equal(isProxyConnected(dpi(sub('a', true), sub('b', true))), false);
    assert.equal(isProxyConnected(dpi({ id: 'a', controlPlaneInstanceId: 'cp' })), false, 'never connected');
    assert.equal(isProxyConnected(dpi()), false);
    assert.equal(isProxyConnected(undefined), false);
  });
});
