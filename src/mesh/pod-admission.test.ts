import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiError } from '../api/errors.js';
import type { KObject } from '../api/object.js';
import type { TestApi } from '../client/testing.js';
import type { Client } from '../client/types.js';
import { createDataplane, createNamespace, dataplane, pod, startMeshTestApi } from '../controllers/mesh/test-support.js';
import { PODS } from '../controllers/mesh/resources.js';
import { multipleMeshesMessage, podAdmission, WORKLOAD_LABEL_ON_POD_MESSAGE } from './pod-admission.js';

const rejects = (p: Promise<unknown>, code: number, message: string | RegExp) =>
  assert.rejects(p, (e: ApiError) => {
    assert.equal(e.code, code);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });

describe('pod admission', () => {
  let api: TestApi;
  let alice: Client;
  const config = { disallowMultipleMeshesPerNamespace: false };
  const create = (p: KObject) => alice.resource(PODS).create(p.metadata.namespace, p);

  before(async () => {
    api = await startMeshTestApi();
    api.admission.register(podAdmission(api.registry, config));
    alice = api.client.withOptions({ user: { username: 'alice', groups: ['system:authenticated'] } });
    await createNamespace(api.client, 'meshed', { 'kuma.io/sidecar-injection': 'enabled' });
    await createNamespace(api.client, 'plain');
    await createNamespace(api.client, 'one-mesh', { 'kuma.io/sidecar-injection': 'enabled' });
  });
  after(() => api.close());

  it('refuses the kuma.io/workload label on meshed pods, on create and update', async () => {
    await rejects(create(pod('meshed', 'a', { labels: { 'kuma.io/workload': 'w' } })), 403, WORKLOAD_LABEL_ON_POD_MESSAGE);
    await rejects(create(pod('plain', 'a', { labels: { 'kuma.io/workload': 'w', 'kuma.io/sidecar-injection': 'enabled' } })), 403, WORKLOAD_LABEL_ON_POD_MESSAGE);
    const ok = await create(pod('meshed', 'b'));
    await rejects(alice.resource(PODS).patch('meshed', 'b', 'merge', { metadata: { labels: { 'kuma.io/workload': 'w' } } }), 403, WORKLOAD_LABEL_ON_POD_MESSAGE);
    assert.ok(ok.metadata.uid);
  });

  it('applies its rules to pods meshed by true/yes as by enabled, and not to pods that opt out', async () => {
    await createNamespace(api.client, 'meshed-yes', { 'kuma.io/sidecar-injection': 'yes' });
    await rejects(create(pod('meshed-yes', 'a', { labels: { 'kuma.io/workload': 'w' } })), 403, WORKLOAD_LABEL_ON_POD_MESSAGE);
    await rejects(create(pod('plain', 'b', { labels: { 'kuma.io/workload': 'w', 'kuma.io/sidecar-injection': 'true' } })), 403, WORKLOAD_LABEL_ON_POD_MESSAGE);
    await create(pod('meshed', 'opted-out', { labels: { 'kuma.io/workload': 'w', 'kuma.io/sidecar-injection': 'disabled' } }));
  });

  it('refuses a kuma.io/sidecar-injection value Kuma cannot read, on the pod (422) or its namespace (403)', async () => {
    await rejects(
      create(pod('plain', 'odd', { labels: { 'kuma.io/sidecar-injection': 'on' } })),
      422,
      'Pod "odd" is invalid: metadata.labels[kuma.io/sidecar-injection]: Unsupported value: "on": supported values: "enabled", "true", "yes", "disabled", "false", "no"',
    );
    await createNamespace(api.client, 'odd-ns', { 'kuma.io/sidecar-injection': 'Enabled' });
    await rejects(create(pod('odd-ns', 'p')), 403, /^pods "p" is forbidden: namespace "odd-ns" has label kuma\.io\/sidecar-injection="Enabled", which is not supported/);
    await create(pod('odd-ns', 'decides', { labels: { 'kuma.io/sidecar-injection': 'no' } }));
  });

  it('leaves pods outside the mesh alone', async () => {
    await create(pod('plain', 'unmeshed', { labels: { 'kuma.io/workload': 'w' }, annotations: { 'kuma.io/workload': 'Not_Valid' } }));
  });

  it('ratchets: an update that keeps an existing label is allowed (the garbage collector must still update such pods)', async () => {
    await createNamespace(api.client, 'later');
    await create(pod('later', 'old', { labels: { 'kuma.io/workload': 'w' } }));
    await api.client.resource({ group: '', version: 'v1', resource: 'namespaces' }).patch(undefined, 'later', 'merge', { metadata: { labels: { 'kuma.io/sidecar-injection': 'enabled' } } });
    await alice.resource(PODS).patch('later', 'old', 'merge', { metadata: { labels: { other: 'x' } } });
    await rejects(alice.resource(PODS).patch('later', 'old', 'merge', { metadata: { labels: { 'kuma.io/workload': 'w2' } } }), 403, WORKLOAD_LABEL_ON_POD_MESSAGE);
  });

  it('refuses a workload annotation that is not a DNS-1035 label with 422', async () => {
    await rejects(
      create(pod('meshed', 'bad', { annotations: { 'kuma.io/workload': 'Bad_Name' } })),
      422,
      /^Pod "bad" is invalid: metadata\.annotations\[kuma\.io\/workload\]: Invalid value: "Bad_Name": a DNS-1035 label must consist of/,
    );
    await rejects(create(pod('meshed', 'bad2', { annotations: { 'kuma.io/workload': '1abc' } })), 422, /metadata\.annotations\[kuma\.io\/workload\]/);
    await create(pod('meshed', 'good', { annotations: { 'kuma.io/workload': 'demo-workload' } }));
    await rejects(alice.resource(PODS).patch('meshed', 'good', 'merge', { metadata: { annotations: { 'kuma.io/workload': 'UPPER' } } }), 422, /kuma\.io\/workload/);
  });

  it('with disallowMultipleMeshesPerNamespace, refuses a pod whose mesh differs from the namespace\'s dataplanes', async () => {
    await createDataplane(api.client, dataplane('one-mesh', 'existing', 'w', { mesh: 'mesh-a' }));
    await create(pod('one-mesh', 'allowed-while-off', { labels: { 'kuma.io/mesh': 'mesh-b' } }));
    config.disallowMultipleMeshesPerNamespace = true;
    try {
      await rejects(create(pod('one-mesh', 'p1', { labels: { 'kuma.io/mesh': 'mesh-b' } })), 403, multipleMeshesMessage('mesh-b', 'one-mesh', 'mesh-a'));
      assert.equal(
        multipleMeshesMessage('mesh-b', 'one-mesh', 'mesh-a'),
        'pod is in mesh "mesh-b" but namespace "one-mesh" already contains dataplanes in mesh "mesh-a"; only one mesh per namespace is allowed when runtime.kubernetes.disallowMultipleMeshesPerNamespace is enabled',
      );
      // No mesh label: `default`, which differs too.
      await rejects(create(pod('one-mesh', 'p2')), 403, /pod is in mesh "default" but namespace "one-mesh" already contains dataplanes in mesh "mesh-a"/);
      await create(pod('one-mesh', 'p3', { annotations: { 'kuma.io/mesh': 'mesh-a' } }));
      // Moving an existing pod to another mesh is an update that changes its mesh.
      await rejects(alice.resource(PODS).patch('one-mesh', 'p3', 'merge', { metadata: { labels: { 'kuma.io/mesh': 'mesh-c' } } }), 403, /pod is in mesh "mesh-c"/);
      await alice.resource(PODS).patch('one-mesh', 'p3', 'merge', { metadata: { labels: { unrelated: 'x' } } });
    } finally {
      config.disallowMultipleMeshesPerNamespace = false;
    }
  });

  it('always allows deletes', async () => {
    await alice.resource(PODS).delete('one-mesh', 'allowed-while-off');
  });
});
