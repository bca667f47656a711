import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ApiError } from '../api/errors.js';
import type { KObject } from '../api/object.js';
import type { TestApi } from '../client/testing.js';
import type { Client } from '../client/types.js';
import { DATAPLANE_INSIGHTS, WORKLOADS } from '../controllers/mesh/resources.js';
import { createNamespace, setInsight, startMeshTestApi } from '../controllers/mesh/test-support.js';
import { controlPlaneOwnedAdmission } from './workload-admission.js';

const forbidden = (p: Promise<unknown>, message: string) =>
  assert.rejects(p, (e: ApiError) => {
    assert.equal(e.code, 403);
    assert.equal(e.reason, 'Forbidden');
    assert.equal(e.message, message);
    return true;
  });

const workload = (name: string): KObject => ({ apiVersion: 'kuma.io/v1alpha1', kind: 'Workload', metadata: { name, namespace: 'default', labels: { 'kuma.io/mesh': 'default' } }, spec: {} });
const WL_MESSAGE = (name: string) =>
  `workloads.kuma.io "${name}" is forbidden: Workload resources are managed by the control plane; manual creation or modification is not supported`;

describe('control-plane-owned kinds', () => {
  let api: TestApi;
  let alice: Client;
  before(async () => {
    api = await startMeshTestApi();
    api.admission.register(controlPlaneOwnedAdmission());
    await createNamespace(api.client, 'default');
    alice = api.client.withOptions({ user: { username: 'alice', groups: ['system:masters', 'system:authenticated'] } });
  });
  after(() => api.close());

  it('refuses manual creation of a Workload, even by a cluster admin', async () => {
    await forbidden(alice.resource(WORKLOADS).create('default', workload('x')), WL_MESSAGE('x'));
  });

  it('refuses manual modification and status writes, allows deletion', async () => {
    await api.client.resource(WORKLOADS).create('default', workload('y'));
    await forbidden(alice.resource(WORKLOADS).patch('default', 'y', 'merge', { metadata: { labels: { a: 'b' } } }), WL_MESSAGE('y'));
    await forbidden(alice.resource(WORKLOADS).patch('default', 'y', 'merge', { status: { dataplaneProxies: { total: 9 } } }, { subresource: 'status' }), WL_MESSAGE('y'));
    await api.client.resource(WORKLOADS).patch('default', 'y', 'merge', { status: { dataplaneProxies: { total: 1 } } }, { subresource: 'status' });
    await alice.resource(WORKLOADS).delete('default', 'y');
  });

  it('lets only the control plane write DataplaneInsights', async () => {
    const message = 'dataplaneinsights.kuma.io "dp" is forbidden: DataplaneInsight resources are written by the control plane only';
    await forbidden(alice.resource(DATAPLANE_INSIGHTS).create('default', { apiVersion: 'kuma.io/v1alpha1', kind: 'DataplaneInsight', metadata: { name: 'dp' } }), message);
    await setInsight(api.client, 'default', 'dp', 'connected');
    await forbidden(setInsight(alice, 'default', 'dp', 'disconnected'), message);
  });
});
