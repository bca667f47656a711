import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../../api/object.js';
import { podInboundHealth } from './pod-inbound-health.js';

const pod = (ready: Record<string, boolean>, podReady: boolean, extra: Partial<KObject['metadata']> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ns', ...extra },
  spec: {
    containers: [
      { name: 'web', ports: [{ containerPort: 8080 }, { containerPort: 9090, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP' }] },
      { name: 'side', ports: [{ containerPort: 8080 }, { containerPort: 7000 }] },
      { name: 'noports' },
    ],
  },
  status: {
    conditions: [{ type: 'Ready', status: podReady ? 'True' : 'False' }],
    containerStatuses: Object.entries(ready).map(([name, r]) => ({ name, ready: r })),
  },
});

describe('podInboundHealth', () => {
  it('reports one entry per distinct TCP port, owned by the first container declaring it', () => {
    assert.deepEqual(podInboundHealth(pod({ web: true, side: true }, true)), [
      { port: 8080, ready: true },
      { port: 9090, ready: true },
      { port: 7000, ready: true },
    ]);
  });

  it('follows the owning container and the pod readiness', () => {
    assert.deepEqual(
      podInboundHealth(pod({ web: true, side: false }, false)).map((h) => h.ready),
      [false, false, false],
    );
    // A pod Ready with a container not (yet) reported ready: that container's ports stay unready.
    assert.deepEqual(podInboundHealth(pod({ web: true }, true)), [
      { port: 8080, ready: true },
      { port: 9090, ready: true },
      { port: 7000, ready: false },
    ]);
  });

  it('is unready once the pod is terminating, and empty without ports or status', () => {
    assert.ok(podInboundHealth(pod({ web: true, side: true }, true, { deletionTimestamp: '2026-01-01T00:00:00Z' })).every((h) => !h.ready));
    assert.deepEqual(podInboundHealth({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } }), []);
  });
});
