// DataplaneInsight: status shape and the CONNECTED column.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tableRow } from '../../apiserver/table.js';
import { compileDefinition } from '../../registry/compiled-definition.js';
import { validateObject } from '../../registry/write-pipeline.js';
import type { OperationContext } from '../definition.js';
import type { KObject } from '../object.js';
import { dataplaneInsightDefinition, isInsightConnected } from './dataplane-insight.js';

const ctx: OperationContext = { user: { username: 'system:workplane', groups: [] }, dryRun: false };
const cd = compileDefinition(dataplaneInsightDefinition);

const insight = (subscriptions: Record<string, unknown>[]): KObject => ({
  apiVersion: 'kuma.io/v1alpha1',
  kind: 'DataplaneInsight',
  metadata: { name: 'dp-1', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' },
  status: {
    subscriptions,
    mTLS: {
      certificateExpirationTime: '2024-01-02T00:00:00Z',
      lastCertificateRegeneration: '2024-01-01T00:00:00Z',
      certificateRegenerations: 1,
      issuedBackend: 'identity',
      supportedBackends: ['identity'],
      spiffeID: 'spiffe://default.zone.mesh.local/workload/demo',
    },
  },
});

const sub = (id: string, disconnected = false) => ({
  id,
  controlPlaneInstanceId: 'cp-1',
  connectTime: '2024-01-01T00:00:00Z',
  ...(disconnected ? { disconnectTime: '2024-01-01T00:01:00Z' } : {}),
  status: { lastUpdateTime: '2024-01-01T00:00:01Z', total: { responsesSent: 4, responsesAcknowledged: 4 }, cds: { responsesSent: 1 } },
});

describe('dataplane insight', () => {
  it('accepts the status the control plane writes and keeps per-type stats', () => {
    const dpi = insight([sub('a', true), sub('b')]);
    assert.doesNotThrow(() => validateObject(cd, dpi, undefined, ctx));
    const bad = insight([{ id: 'a' }]);
    assert.throws(() => validateObject(cd, bad, undefined, ctx), /status\.subscriptions\[0\]\.controlPlaneInstanceId: Required value/);
  });

  it('is connected when the latest subscription is open', () => {
    assert.equal(isInsightConnected(insight([sub('a', true), sub('b')])), true);
    assert.equal(isInsightConnected(insight([sub('a'), sub('b', true)])), false);
    assert.equal(isInsightConnected(insight([])), false);
    assert.equal(isInsightConnected({ metadata: { name: 'x' } }), false);
    assert.equal(isInsightConnected(undefined), false);
  });

  it('prints NAME CONNECTED AGE', () => {
    const now = Date.parse('2024-01-01T00:05:00Z');
    assert.deepEqual(tableRow(cd, insight([sub('b')]), 'None', now).cells, ['dp-1', 'true', '5m']);
    assert.deepEqual(tableRow(cd, insight([sub('b', true)]), 'None', now).cells, ['dp-1', 'false', '5m']);
  });
});
