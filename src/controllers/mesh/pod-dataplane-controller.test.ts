import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KObject } from '../../api/object.js';
import { silentLogger } from '../../client/logger.js';
import { eventually, type TestApi } from '../../client/testing.js';
import { startMeshControllers } from './index.js';
import { DATAPLANES, NAMESPACES, PODS } from './resources.js';
import { createDataplane, createNamespace, dataplane, pod, setPodStatus, startMeshTestApi } from './test-support.js';

describe('pod → Dataplane controller', () => {
  let api: TestApi;
  const ac = new AbortController();
  let running: Promise<void>;
  const config = { workloadLabels: ['app.kubernetes.io/name', 'app'], disallowMultipleMeshesPerNamespace: false, systemNamespace: 'kuma-system' };
  const dp = (ns: string, name: string) => api.client.resource(DATAPLANES).get(ns, name);
  const createPod = (p: KObject) => api.client.resource(PODS).create(p.metadata.namespace, p);

  before(async () => {
    api = await startMeshTestApi();
    await createNamespace(api.client, 'shop', { 'kuma.io/sidecar-injection': 'enabled' }, { 'kuma.io/mesh': 'payments' });
    await createNamespace(api.client, 'plain');
    running = startMeshControllers(api.client, ac.signal, { config, log: silentLogger });
  });
  after(async () => {
    ac.abort();
    await running;
    await api.close();
  });

  it('creates the Dataplane once the pod has an IP, owned by the pod, following its readiness', async () => {
    const p = await createPod(pod('shop', 'web-1', { labels: { app: 'web', tier: 'front' }, serviceAccountName: 'web-sa', ports: [8080, 9090, 8080] }));
    await setPodStatus(api.client, 'shop', 'web-1', '10.1.0.7', true);
    await eventually(async () => !!(await dp('shop', 'web-1')), 'dataplane created');
    const d = (await dp('shop', 'web-1'))!;
    assert.deepEqual(d.metadata.labels, {
      app: 'web',
      tier: 'front',
      'kuma.io/mesh': 'payments',
      'kuma.io/workload': 'web',
      'k8s.kuma.io/namespace': 'shop',
      'k8s.kuma.io/service-account': 'web-sa',
    });
    assert.deepEqual(d.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Pod', name: 'web-1', uid: p.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    const net = (d.spec as { networking: { address: string; inbound: Record<string, unknown>[] } }).networking;
    assert.equal(net.address, '10.1.0.7');
    assert.deepEqual(
      net.inbound.map((i) => [i.port, i.state, i.health]),
      [
        [8080, 'Ready', { ready: true }],
        [9090, 'Ready', { ready: true }],
      ],
    );
    assert.deepEqual((net.inbound[0].tags as Record<string, string>)['kuma.io/service'], 'web_shop_svc_8080');

    await setPodStatus(api.client, 'shop', 'web-1', '10.1.0.8', false);
    await eventually(async () => {
      const n = ((await dp('shop', 'web-1'))!.spec as { networking: { address: string; inbound: { state: string }[] } }).networking;
      return n.address === '10.1.0.8' && n.inbound.every((i) => i.state === 'NotReady');
    }, 'address and readiness followed');
  });

  it('creates nothing for a pod without an IP, or outside the mesh', async () => {
    await createPod(pod('shop', 'pending'));
    await createPod(pod('plain', 'outside', { ports: [80] }));
    await setPodStatus(api.client, 'plain', 'outside', '10.1.0.9', true);
    // A later, meshed pod's Dataplane appearing shows the controller has processed the earlier events.
    await createPod(pod('plain', 'opted-in', { labels: { 'kuma.io/sidecar-injection': 'enabled' } }));
    await setPodStatus(api.client, 'plain', 'opted-in', '10.1.0.10', true);
    await eventually(async () => !!(await dp('plain', 'opted-in')), 'pod-level opt-in');
    assert.equal(await dp('shop', 'pending'), undefined);
    assert.equal(await dp('plain', 'outside'), undefined);
    assert.equal((await dp('plain', 'opted-in'))!.metadata.labels!['kuma.io/mesh'], 'default');
    assert.equal((await dp('plain', 'opted-in'))!.metadata.labels!['kuma.io/workload'], 'default', 'ServiceAccount fallback');
  });

  it('meshes pods labelled true or yes (on the pod or its namespace) as enabled does; a pod\'s disabled wins', async () => {
    await createNamespace(api.client, 'by-true', { 'kuma.io/sidecar-injection': 'true' });
    await createPod(pod('by-true', 'ns-true', { ports: [80] }));
    await createPod(pod('by-true', 'opted-out', { labels: { 'kuma.io/sidecar-injection': 'disabled' }, ports: [80] }));
    await createPod(pod('plain', 'pod-yes', { labels: { 'kuma.io/sidecar-injection': 'yes' }, ports: [80] }));
    for (const [ns, name, ip] of [['by-true', 'opted-out', '10.3.0.3'], ['by-true', 'ns-true', '10.3.0.1'], ['plain', 'pod-yes', '10.3.0.2']]) await setPodStatus(api.client, ns, name, ip, true);
    await eventually(async () => !!(await dp('by-true', 'ns-true')) && !!(await dp('plain', 'pod-yes')), 'dataplanes for true and yes');
    assert.equal(await dp('by-true', 'opted-out'), undefined);
  });

  it('follows the namespace joining and leaving the mesh', async () => {
    await createNamespace(api.client, 'later');
    await createPod(pod('later', 'api-1', { annotations: { 'kuma.io/workload': 'api' }, labels: { app: 'ignored' } }));
    await setPodStatus(api.client, 'later', 'api-1', '10.2.0.1', true);
    const namespaces = api.client.resource(NAMESPACES);
    await namespaces.patch(undefined, 'later', 'merge', { metadata: { labels: { 'kuma.io/sidecar-injection': 'enabled' } } });
    await eventually(async () => !!(await dp('later', 'api-1')), 'dataplane after namespace meshed');
    assert.equal((await dp('later', 'api-1'))!.metadata.labels!['kuma.io/workload'], 'api', 'annotation wins over labels');
    await namespaces.patch(undefined, 'later', 'merge', { metadata: { labels: { 'kuma.io/sidecar-injection': null } } });
    await eventually(async () => !(await dp('later', 'api-1')), 'dataplane removed after namespace left the mesh');
  });

  it('removes the Dataplane with its pod and repairs manual changes', async () => {
    await createPod(pod('shop', 'tmp', { labels: { 'app.kubernetes.io/name': 'cart', app: 'web' } }));
    await setPodStatus(api.client, 'shop', 'tmp', '10.1.1.1', true);
    await eventually(async () => !!(await dp('shop', 'tmp')), 'created');
    assert.equal((await dp('shop', 'tmp'))!.metadata.labels!['kuma.io/workload'], 'cart', 'first configured label wins');
    await api.client.resource(DATAPLANES).patch('shop', 'tmp', 'merge', { metadata: { labels: { 'kuma.io/workload': 'other' } } });
    await eventually(async () => (await dp('shop', 'tmp'))!.metadata.labels!['kuma.io/workload'] === 'cart', 'label restored');
    await api.client.resource(PODS).delete('shop', 'tmp', { gracePeriodSeconds: 0 });
    await eventually(async () => !(await dp('shop', 'tmp')), 'dataplane removed with the pod');
  });

  it('never takes over a Dataplane registered directly under the pod\'s name', async () => {
    await createDataplane(api.client, dataplane('shop', 'taken', 'universal'));
    await createPod(pod('shop', 'taken'));
    await setPodStatus(api.client, 'shop', 'taken', '10.1.2.1', true);
    const events = api.client.resource({ group: '', version: 'v1', resource: 'events' });
    const warned = async () =>
      (await events.list('shop')).items.find((e) => e.reason === 'DataplaneExists' && (e.involvedObject as { name: string }).name === 'taken');
    await eventually(async () => !!(await warned()), 'a Warning event on the pod');
    assert.equal((await warned())!.message, 'Dataplane shop/taken exists and is not managed by this Pod; no Dataplane was generated');
    const d = (await dp('shop', 'taken'))!;
    assert.equal(d.metadata.labels!['kuma.io/workload'], 'universal');
    assert.equal(d.metadata.ownerReferences, undefined);
  });
});
