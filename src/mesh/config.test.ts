import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadMeshConfig } from './config.js';

describe('mesh config', () => {
  it('defaults', () => {
    assert.deepEqual(loadMeshConfig({}, {}), { workloadLabels: [], disallowMultipleMeshesPerNamespace: false, systemNamespace: 'kuma-system', dataplaneTokenMaxValiditySeconds: 87_600 * 3600 });
  });

  it('reads the YAML keys Kuma uses', () => {
    const yaml = {
      runtime: { kubernetes: { workloadLabels: ['app.kubernetes.io/name', 'app'], disallowMultipleMeshesPerNamespace: true } },
      store: { kubernetes: { systemNamespace: 'mesh-system' } },
    };
    assert.deepEqual(loadMeshConfig(yaml, {}), { workloadLabels: ['app.kubernetes.io/name', 'app'], disallowMultipleMeshesPerNamespace: true, systemNamespace: 'mesh-system', dataplaneTokenMaxValiditySeconds: 87_600 * 3600 });
  });

  it('lets KUMA_ and WORKPLANE_ variables override, lists comma-separated', () => {
    const env = { KUMA_RUNTIME_KUBERNETES_WORKLOAD_LABELS: 'app, team ,', WORKPLANE_RUNTIME_KUBERNETES_DISALLOW_MULTIPLE_MESHES_PER_NAMESPACE: 'true' };
    const c = loadMeshConfig({ runtime: { kubernetes: { workloadLabels: ['ignored'] } } }, env);
    assert.deepEqual(c.workloadLabels, ['app', 'team']);
    assert.equal(c.disallowMultipleMeshesPerNamespace, true);
  });

  it('reads the dataplane token maximum validity as a duration', () => {
    assert.equal(loadMeshConfig({ dpServer: { authn: { dpProxy: { dpToken: { maxValidityDuration: '720h' } } } } }, {}).dataplaneTokenMaxValiditySeconds, 720 * 3600);
    assert.equal(loadMeshConfig({}, { KUMA_DP_SERVER_AUTHN_DP_PROXY_DP_TOKEN_MAX_VALIDITY_DURATION: '1h' }).dataplaneTokenMaxValiditySeconds, 3600);
    assert.throws(() => loadMeshConfig({}, { KUMA_DP_SERVER_AUTHN_DP_PROXY_DP_TOKEN_MAX_VALIDITY_DURATION: 'forever' }), /dpServer\.authn\.dpProxy\.dpToken\.maxValidityDuration/);
  });

  it('names the key of a bad value', () => {
    assert.throws(() => loadMeshConfig({}, { KUMA_RUNTIME_KUBERNETES_DISALLOW_MULTIPLE_MESHES_PER_NAMESPACE: 'yes' }), /disallowMultipleMeshesPerNamespace: expected true or false/);
    assert.throws(() => loadMeshConfig({ runtime: { kubernetes: { workloadLabels: [1] } } }, {}), /workloadLabels: expected a list of strings/);
  });
});
