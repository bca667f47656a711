import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestApi } from '../../client/testing.js';
import { ensureMeshBootstrap } from './bootstrap.js';
import { meshAdmissionPlugins } from './index.js';
import { MESHES, NAMESPACES } from './resources.js';
import { startMeshTestApi } from './test-support.js';

describe('mesh bootstrap', () => {
  let api: TestApi;
  before(async () => {
    api = await startMeshTestApi();
  });
  after(() => api.close());

  it('creates Mesh default and the system namespace, idempotently', async () => {
    await ensureMeshBootstrap(api.client, { systemNamespace: 'mesh-system' });
    const mesh = (await api.client.resource(MESHES).get(undefined, 'default'))!;
    await ensureMeshBootstrap(api.client, { systemNamespace: 'mesh-system' });
    assert.equal((await api.client.resource(MESHES).get(undefined, 'default'))!.metadata.resourceVersion, mesh.metadata.resourceVersion);
    assert.ok(await api.client.resource(NAMESPACES).get(undefined, 'mesh-system'));
  });

  it('offers the pod, control-plane-owned and system-namespace admission plugins', () => {
    const plugins = meshAdmissionPlugins(api.registry, { workloadLabels: [], disallowMultipleMeshesPerNamespace: true, systemNamespace: 'kuma-system' });
    assert.deepEqual(plugins.map((p) => p.name), ['MeshPod', 'MeshControlPlaneOwned', 'MeshSystemNamespaceOnly']);
  });
});
