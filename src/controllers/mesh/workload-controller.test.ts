import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KObject } from '../../api/object.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { silentLogger } from '../../client/logger.js';
import { SharedInformers } from '../../client/shared-informers.js';
import { eventually, type TestApi } from '../../client/testing.js';
import { startMeshControllers } from './index.js';
import { DATAPLANES, NAMESPACES, PODS, WORKLOADS } from './resources.js';
import { createDataplane, createNamespace, dataplane, pod, recordingWriter, setPodStatus, startMeshTestApi } from './test-support.js';
import { multipleMeshesEventMessage, workloadHandler, WorkloadReconciler } from './workload-controller.js';
import { WorkloadMeshes } from './workload-meshes.js';

const config = { workloadLabels: [], disallowMultipleMeshesPerNamespace: false, systemNamespace: 'kuma-system' };
const total = (w: KObject | undefined) => (w?.status as { dataplaneProxies?: { total?: number } } | undefined)?.dataplaneProxies?.total;

describe('workload controller', () => {
  let api: TestApi;
  const ac = new AbortController();
  let running: Promise<void>;
  const wl = (ns: string, name: string) => api.client.resource(WORKLOADS).get(ns, name);
  const deleteDp = (ns: string, name: string) => api.client.resource(DATAPLANES).delete(ns, name);

  before(async () => {
    api = await startMeshTestApi();
    await createNamespace(api.client, 'apps');
    running = startMeshControllers(api.client, ac.signal, { config, log: silentLogger });
  });
  after(async () => {
    ac.abort();
    await running;
    await api.close();
  });

  it('creates a Workload on the first reference, shares it, deletes it after the last', async () => {
    await createDataplane(api.client, dataplane('apps', 'a1', 'alpha'));
    await eventually(async () => !!(await wl('apps', 'alpha')), 'workload created');
    const w = (await wl('apps', 'alpha'))!;
    assert.deepEqual(w.metadata.labels, { 'kuma.io/mesh': 'default', 'kuma.io/managed-by': 'k8s-controller' });
    assert.deepEqual(w.spec, {});
    await createDataplane(api.client, dataplane('apps', 'a2', 'alpha'));
    await eventually(async () => total(await wl('apps', 'alpha')) === 2, 'two proxies counted');
    await deleteDp('apps', 'a1');
    await eventually(async () => total(await wl('apps', 'alpha')) === 1, 'one proxy left');
    assert.equal((await wl('apps', 'alpha'))!.metadata.uid, w.metadata.uid, 'the same Workload throughout');
    await deleteDp('apps', 'a2');
    await eventually(async () => !(await wl('apps', 'alpha')), 'workload deleted after the last reference');
  });

  it('labels the Workload with its proxies\' mesh', async () => {
    await createDataplane(api.client, dataplane('apps', 'b1', 'beta', { mesh: 'payments' }));
    await eventually(async () => (await wl('apps', 'beta'))?.metadata.labels?.['kuma.io/mesh'] === 'payments', 'custom mesh');
  });

  it('skips generation with a Warning on the Namespace when proxies span meshes, keeping the existing Workload', async () => {
    await createDataplane(api.client, dataplane('apps', 'g1', 'gamma', { mesh: 'mesh-a' }));
    await eventually(async () => !!(await wl('apps', 'gamma')), 'workload created');
    await createDataplane(api.client, dataplane('apps', 'g2', 'gamma', { mesh: 'mesh-b' }));
    const message = multipleMeshesEventMessage('apps', 2, 'gamma');
    assert.equal(message, 'Skipping Workload generation: namespace apps has pods in multiple meshes (2 meshes) for workload gamma. This configuration is not supported.');
    const events = api.client.resource({ group: '', version: 'v1', resource: 'events' });
    await eventually(async () => (await events.list('apps')).items.some((e) => e.message === message), 'warning event in the namespace');
    const e = (await events.list('apps')).items.find((x) => x.message === message)!;
    assert.equal(e.type, 'Warning');
    assert.equal(e.reason, 'MultipleMeshesDetected');
    assert.deepEqual([(e.involvedObject as { kind: string }).kind, (e.involvedObject as { name: string }).name], ['Namespace', 'apps']);
    assert.equal((await wl('apps', 'gamma'))!.metadata.labels!['kuma.io/mesh'], 'mesh-a', 'orphan kept as it was');
  });

  it('generates Workloads for meshed pods from their workload annotation', async () => {
    await createNamespace(api.client, 'demo', { 'kuma.io/sidecar-injection': 'enabled' });
    await api.client.resource(PODS).create('demo', pod('demo', 'demo-app', { annotations: { 'kuma.io/workload': 'demo-workload' }, ports: [80] }));
    await setPodStatus(api.client, 'demo', 'demo-app', '10.3.0.1', true);
    await eventually(async () => total(await wl('demo', 'demo-workload')) === 1, 'workload from a pod');
  });
});

describe('workload reconciler', () => {
  let api: TestApi;
  const ac = new AbortController();
  let informers: SharedInformers;
  const meshes = new WorkloadMeshes();
  before(async () => {
    api = await startMeshTestApi();
    await createNamespace(api.client, 'ns');
    informers = new SharedInformers(api.client, { log: silentLogger });
    informers.informerFor(DATAPLANES).addHandler(meshes.dataplaneHandler);
    informers.informerFor(WORKLOADS);
    informers.informerFor(NAMESPACES);
    informers.start(ac.signal);
    await informers.waitForSync(ac.signal);
  });
  after(async () => {
    ac.abort();
    await informers.stopped();
    await api.close();
  });

  const reconciler = (calls: string[], events: string[] = []) =>
    new WorkloadReconciler(
      { config, recorder: { event: (_o: unknown, type: string, reason: string, msg: string) => events.push(`${type} ${reason}: ${msg}`) } as unknown as EventRecorder },
      meshes,
      informers.informerFor(WORKLOADS),
      informers.informerFor(NAMESPACES),
      recordingWriter(api.client.resource(WORKLOADS), calls),
    );
  const cached = (what: 'dp' | 'wl', name: string, present = true) =>
    eventually(() => !!informers.informerFor(what === 'dp' ? DATAPLANES : WORKLOADS).get('ns', name) === present, `${what} ${name} cached`);

  it('writes nothing when the Workload already matches', async () => {
    await createDataplane(api.client, dataplane('ns', 'd1', 'same', { mesh: 'm' }));
    await api.client.resource(WORKLOADS).create('ns', { apiVersion: 'kuma.io/v1alpha1', kind: 'Workload', metadata: { name: 'same', labels: { 'kuma.io/mesh': 'm', 'kuma.io/managed-by': 'k8s-controller' } } });
    await cached('dp', 'd1');
    await cached('wl', 'same');
    const calls: string[] = [];
    await reconciler(calls).reconcile('ns/same');
    assert.deepEqual(calls, []);
  });

  it('updates the mesh label when the proxies moved meshes', async () => {
    await api.client.resource(DATAPLANES).patch('ns', 'd1', 'merge', { metadata: { labels: { 'kuma.io/mesh': 'n' } } });
    await eventually(() => informers.informerFor(DATAPLANES).get('ns', 'd1')!.metadata.labels!['kuma.io/mesh'] === 'n', 'moved');
    const calls: string[] = [];
    await reconciler(calls).reconcile('ns/same');
    assert.deepEqual(calls, ['patch']);
    assert.equal((await api.client.resource(WORKLOADS).get('ns', 'same'))!.metadata.labels!['kuma.io/mesh'], 'n');
  });

  it('keeps an orphan when references span meshes, and never deletes Workloads it did not generate', async () => {
    await createDataplane(api.client, dataplane('ns', 'd2', 'same', { mesh: 'other' }));
    await cached('dp', 'd2');
    const calls: string[] = [];
    const events: string[] = [];
    await reconciler(calls, events).reconcile('ns/same');
    assert.deepEqual(calls, []);
    assert.deepEqual(events, [`Warning MultipleMeshesDetected: ${multipleMeshesEventMessage('ns', 2, 'same')}`]);

    await api.client.resource(WORKLOADS).create('ns', { apiVersion: 'kuma.io/v1alpha1', kind: 'Workload', metadata: { name: 'foreign', labels: { 'kuma.io/mesh': 'default' } } });
    await cached('wl', 'foreign');
    await reconciler(calls).reconcile('ns/foreign');
    assert.deepEqual(calls, []);
  });
});

describe('workload generation scaling', () => {
  const wlObj = (labels: Record<string, string>, status?: unknown): KObject => ({
    apiVersion: 'kuma.io/v1alpha1',
    kind: 'Workload',
    metadata: { name: 'big', namespace: 'ns', labels },
    ...(status ? { status } : {}),
  });

  it('queues a huge Workload a constant number of times while 2,000 proxies join, count and leave', async () => {
    const queued: string[] = [];
    const meshes = new WorkloadMeshes({ onChange: (k) => queued.push(k) });
    const onWorkload = workloadHandler((k) => queued.push(k));
    const dps = Array.from({ length: 2000 }, (_, i) => dataplane('ns', `dp-${i}`, 'big'));
    for (const dp of dps) meshes.dataplaneHandler.onAdd!(dp);
    assert.deepEqual(queued, ['ns/big'], 'only the first proxy changes the set of meshes');
    assert.deepEqual([...meshes.meshes('ns/big')], [['default', 2000]]);

    // The generated Workload arrives, then the status controller writes 2,000 counts to it.
    const labels = { 'kuma.io/mesh': 'default', 'kuma.io/managed-by': 'k8s-controller' };
    onWorkload.onAdd!(wlObj(labels));
    for (let i = 1; i <= 2000; i++) onWorkload.onUpdate!(wlObj(labels, { dataplaneProxies: { total: i - 1 } }), wlObj(labels, { dataplaneProxies: { total: i } }));
    assert.equal(queued.length, 2, 'status writes queue nothing');
    onWorkload.onUpdate!(wlObj(labels), wlObj({ ...labels, 'kuma.io/mesh': 'x' }));
    assert.equal(queued.length, 3, 'a label change queues the key');

    // Health and address changes move nothing; the last proxy leaving empties the set.
    meshes.dataplaneHandler.onUpdate!(dps[0], dataplane('ns', 'dp-0', 'big', { inbounds: [{ state: 'NotReady' }] }));
    for (const dp of dps) meshes.dataplaneHandler.onDelete!(dp);
    assert.deepEqual(queued.slice(3), ['ns/big'], 'only the last delete empties the set');
    assert.equal(meshes.meshes('ns/big').size, 0);
    assert.equal(meshes.size, 0);
  });
});
