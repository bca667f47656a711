import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../../api/object.js';
import { computeWorkloadView, ownedPods } from './compute-view.js';
import { identityView } from './identity-view.js';
import { meshCounts, proxiesOf } from './mesh-view.js';

const dp = (name: string, workload: string, inbound: unknown[], ns = 'm'): KObject => ({
  metadata: { name, namespace: ns, labels: { 'kuma.io/workload': workload } },
  spec: { networking: { address: `10.0.0.${name.length}`, inbound } },
});
const insight = (name: string, subs: unknown[], mTLS?: Record<string, unknown>, ns = 'm'): KObject => ({ metadata: { name, namespace: ns }, status: { subscriptions: subs, ...(mTLS ? { mTLS } : {}) } });

describe('mesh workload view', () => {
  it('joins each Dataplane of the workload to its insight: connected, healthy, SPIFFE ID, expiry', () => {
    const wl: KObject = { metadata: { name: 'web', namespace: 'm' }, status: { dataplaneProxies: { connected: 1, healthy: 1, total: 2 } } };
    const dps = [
      dp('web-1', 'web', [{ port: 80, health: { ready: true } }]),
      dp('web-2', 'web', [{ port: 80, state: 'NotReady' }, { port: 81, health: { ready: false } }]),
      dp('api-1', 'api', [{ port: 80 }]),
      dp('web-3', 'web', [{ port: 80 }], 'other-ns'),
    ];
    const insights = [
      insight('web-1', [{ connectTime: 't0', disconnectTime: 't1' }, { connectTime: 't2' }], { spiffeID: 'spiffe://d/web', certificateExpirationTime: '2026-01-02T00:00:00Z', issuedBackend: 'id' }),
      insight('web-2', [{ connectTime: 't0', disconnectTime: 't1' }]),
    ];
    assert.deepEqual(meshCounts(wl), { connected: 1, healthy: 1, total: 2 });
    const ps = proxiesOf(wl, dps, insights);
    assert.deepEqual(
      ps.map((p) => [p.name, p.connected, p.healthy, p.spiffeID, p.certificateExpires, p.inbounds]),
      [
        ['web-1', true, true, 'spiffe://d/web', '2026-01-02T00:00:00Z', 1],
        ['web-2', false, false, undefined, undefined, 2],
      ],
    );
    assert.deepEqual(meshCounts({ metadata: { name: 'new' } }), { connected: 0, healthy: 0, total: 0 });
  });
});

describe('identity view', () => {
  it('lists the certificates each MeshIdentity issued, from the insights naming it as issuedBackend', () => {
    const mi: KObject = {
      metadata: { name: 'id', namespace: 'kuma-system' },
      spec: { selector: { dataplane: { matchLabels: { app: 'web' } } }, spiffeID: { trustDomain: 'd' }, provider: { type: 'Bundled' } },
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Ready' }] },
    };
    const insights = [
      insight('b', [], { spiffeID: 'spiffe://d/b', certificateExpirationTime: 'e-b', lastCertificateRegeneration: 'i-b', certificateRegenerations: 2, issuedBackend: 'id' }),
      insight('a', [], { spiffeID: 'spiffe://d/a', issuedBackend: 'id' }),
      insight('c', [], { spiffeID: 'spiffe://d/c', issuedBackend: 'other' }),
      insight('d', []),
    ];
    const v = identityView(mi, insights);
    assert.equal(v.provider, 'Bundled');
    assert.equal(v.selector, 'app=web');
    assert.equal(v.trustDomain, 'd');
    assert.equal(v.path, '(default)');
    assert.equal(v.ready?.status, 'True');
    assert.deepEqual(v.certificates, [
      { dataplane: 'a', namespace: 'm', spiffeID: 'spiffe://d/a', expires: undefined, issued: undefined, regenerations: undefined },
      { dataplane: 'b', namespace: 'm', spiffeID: 'spiffe://d/b', expires: 'e-b', issued: 'i-b', regenerations: 2 },
    ]);
    assert.equal(identityView({ metadata: { name: 'x' }, spec: {} }, []).selector, '(selects nothing)');
    assert.equal(identityView({ metadata: { name: 'x' }, spec: { selector: { dataplane: {} } } }, []).selector, '(every dataplane of the mesh)');
  });
});

describe('compute workload view', () => {
  it('takes status counts and groups the pods it controls (by uid) by node', () => {
    const w: KObject = {
      metadata: { name: 'web', namespace: 'p', uid: 'w1', generation: 3 },
      spec: { replicas: 3 },
      status: { phase: 'Running', replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2, observedGeneration: 2, conditions: [{ type: 'Available', status: 'True' }] },
    };
    const owned = (name: string, uid: string, nodeName?: string): KObject => ({
      metadata: { name, namespace: 'p', ownerReferences: [{ apiVersion: 'compute.miloapis.com/v1alpha1', kind: 'Workload', name: 'web', uid, controller: true }] },
      spec: nodeName ? { nodeName } : {},
    });
    const pods = [owned('web-a', 'w1', 'n2'), owned('web-b', 'w1', 'n1'), owned('web-c', 'w1'), owned('web-old', 'w0', 'n1'), owned('web-d', 'w1', 'n1')];
    assert.deepEqual(ownedPods(w, pods).map((p) => p.metadata.name), ['web-a', 'web-b', 'web-c', 'web-d']);
    const v = computeWorkloadView(w, pods);
    assert.deepEqual([v.phase, v.desired, v.replicas, v.ready, v.updated, v.available, v.current], ['Running', 3, 3, 2, 3, 2, false]);
    assert.deepEqual(v.byNode.map((g) => [g.node, g.pods.map((p) => p.metadata.name)]), [
      ['n1', ['web-b', 'web-d']],
      ['n2', ['web-a']],
      [undefined, ['web-c']],
    ]);
    assert.equal(computeWorkloadView({ metadata: { name: 'fresh' } }, []).phase, 'Pending');
  });
});
