import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadMeshConfig } from './config.js';

describe('mesh config', () => {
  it('defaults', () => {
    assert.deepEqual(loadMeshConfig({}, {}), { workloadLabels: [], disallowMultipleMeshesPerNamespace: false, systemNamespace: 'kuma-system' });
  });

  it('reads the YAML keys Kuma uses', () => {
    const yaml = {
      runtime: { kubernetes: { workloadLabels: ['app.kubernetes.io/name', 'app'], disallowMultipleMeshesPerNamespace: true } },
      store: { kubernetes: { systemNamespace: 'mesh-system' } },
    };
    assert.deepEqual(loadMeshConfig(yaml, {}), { workloadLabels: ['app.kubernetes.io/name', 'app'], disallowMultipleMeshesPerNamespace: true, systemNamespace: 'mesh-system' });
  });

  it('lets KUMA_ and WORKPLANE_ variables override, lists comma-separated', () => {
    const env = { KUMA_RUNTIME_KUBERNETES_WORKLOAD_LABELS: 'app, team ,', WORKPLANE_RUNTIME_KUBERNETES_DISALLOW_MULTIPLE_MESHES_PER_NAMESPACE: 'true' };
    const c = loadMeshConfig({ runtime: { kubernetes: { workloadLabels: ['ignored'] } } }, env);
    assert.deepEqual(c.workloadLabels, ['app', 'team']);
    assert.equal(c.disallowMultipleMeshesPerNamespace, true);
  });

  it('names the key of a bad value', () => {
    assert.throws(() => loadMeshConfig({}, { KUMA_RUNTIME_KUBERNETES_DISALLOW_MULTIPLE_MESHES_PER_NAMESPACE: 'yes' }), /disallowMultipleMeshesPerNamespace: expected true or false/);
    assert.throws(() => loadMeshConfig({ runtime: { kubernetes: { workloadLabels: [1] } } }, {}), /workloadLabels: expected a list of strings/);
  });
});
