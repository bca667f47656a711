import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiError } from '../api/errors.js';
import type { KObject } from '../api/object.js';
import type { TestApi } from '../client/testing.js';
import type { Client } from '../client/types.js';
import { createNamespace, startMeshTestApi } from '../controllers/mesh/test-support.js';
import { systemNamespaceAdmission } from './system-namespace-admission.js';

const IDENTITIES = { group: 'kuma.io', version: 'v1alpha1', resource: 'meshidentities' };
const TRUSTS = { group: 'kuma.io', version: 'v1alpha1', resource: 'meshtrusts' };
const CA = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUbmV2ZXItcGFyc2VkLWhlcmUwCgYIKoZIzj0EAwIwADAeFw0y\n-----END CERTIFICATE-----\n';

const identity = (ns: string): KObject => ({
  apiVersion: 'kuma.io/v1alpha1',
  kind: 'MeshIdentity',
  metadata: { name: 'id', namespace: ns, labels: { 'kuma.io/mesh': 'default' } },
  spec: { selector: { dataplane: { matchLabels: {} } } },
});
const trust = (ns: string): KObject => ({
  apiVersion: 'kuma.io/v1alpha1',
  kind: 'MeshTrust',
  metadata: { name: 'tr', namespace: ns, labels: { 'kuma.io/mesh': 'default' } },
  spec: { trustDomain: 'example.com', caBundles: [{ type: 'Pem', pem: { value: CA } }] },
});

describe('system-namespace-only kinds', () => {
  let api: TestApi;
  let alice: Client;
  before(async () => {
    api = await startMeshTestApi();
    api.admission.register(systemNamespaceAdmission({ systemNamespace: 'mesh-system' }));
    await createNamespace(api.client, 'mesh-system');
    await createNamespace(api.client, 'apps');
    alice = api.client.withOptions({ user: { username: 'alice', groups: ['system:masters', 'system:authenticated'] } });
  });
  after(() => api.close());

  it("refuses MeshIdentity and MeshTrust outside the system namespace with Kuma's message (403)", async () => {
    for (const [res, obj, plural, kind] of [[IDENTITIES, identity('apps'), 'meshidentities', 'MeshIdentity'], [TRUSTS, trust('apps'), 'meshtrusts', 'MeshTrust']] as const) {
      await assert.rejects(alice.resource(res).create('apps', obj), (e: ApiError) => {
        assert.equal(e.code, 403);
        assert.equal(e.reason, 'Forbidden');
        assert.equal(e.message, `${plural}.kuma.io "${obj.metadata.name}" is forbidden: resource type ${kind} can be created only in the system namespace:mesh-system`);
        return true;
      });
    }
  });

  it('admits them in the system namespace', async () => {
    assert.ok((await alice.resource(IDENTITIES).create('mesh-system', identity('mesh-system'))).metadata.uid);
    assert.ok((await alice.resource(TRUSTS).create('mesh-system', trust('mesh-system'))).metadata.uid);
  });
});
