// Dataplane: the workload-label rule (exact message), networking checks,
// health, and its table columns.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tableRow } from '../../apiserver/table.js';
import { compileDefinition } from '../../registry/compiled-definition.js';
import { validateObject } from '../../registry/write-pipeline.js';
import type { OperationContext } from '../definition.js';
import { ApiError, fieldErrorBody } from '../errors.js';
import type { KObject } from '../object.js';
import { dataplaneDefinition, isDataplaneHealthy, validateDataplane } from './dataplane.js';

const ctx: OperationContext = { user: { username: 'admin', groups: [] }, dryRun: false };
const cd = compileDefinition(dataplaneDefinition);
const render = (dp: KObject) => validateDataplane(dp).map((e) => `${e.field}: ${fieldErrorBody(e)}`);

const dp = (labels: Record<string, string>, networking: Record<string, unknown>): KObject => ({
  apiVersion: 'kuma.io/v1alpha1',
  kind: 'Dataplane',
  metadata: { name: 'dp-1', namespace: 'default', labels, creationTimestamp: '2024-01-01T00:00:00Z' },
  spec: { networking },
});

const good = () =>
  dp({ 'kuma.io/mesh': 'default', 'kuma.io/workload': 'demo-workload' }, { address: '10.0.0.1', inbound: [{ port: 8080, tags: { app: 'demo' }, state: 'Ready', health: { ready: true } }] });

describe('dataplane', () => {
  it('accepts a well-formed dataplane', () => {
    assert.doesNotThrow(() => validateObject(cd, good(), undefined, ctx));
    const host = good();
    (host.spec as any).networking.address = 'backend.local';
    assert.deepEqual(render(host), []);
  });

  it('refuses a workload label that is not a DNS-1035 label, with the exact message', () => {
    const bad = good();
    bad.metadata.labels!['kuma.io/workload'] = '1-demo';
    const detail = 'labels["kuma.io/workload"]: must be a valid DNS-1035 label (at most 63 characters, matching regex [a-z]([-a-z0-9]*[a-z0-9])?)';
    assert.throws(
      () => validateObject(cd, bad, undefined, ctx),
      (e: unknown) => {
        assert.ok(e instanceof ApiError);
        assert.equal(e.code, 422);
        assert.equal(e.message, `Dataplane.kuma.io "dp-1" is invalid: metadata.labels: Invalid value: "1-demo": ${detail}`);
        assert.deepEqual(e.details?.causes, [{ reason: 'FieldValueInvalid', message: `Invalid value: "1-demo": ${detail}`, field: 'metadata.labels' }]);
        return true;
      },
    );
    bad.metadata.labels!['kuma.io/workload'] = '';
    assert.deepEqual(render(bad), []);
  });

  it('requires an address and checks ports and inbound addresses', () => {
    assert.deepEqual(render(dp({}, { inbound: [{ port: 0 }, { port: 80, servicePort: 70000, address: 'nope' }], admin: { port: 99999 } })), [
      'spec.networking.address: Required value',
      'spec.networking.inbound[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'spec.networking.inbound[1].servicePort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.networking.inbound[1].address: Invalid value: "nope": must be a valid IP address',
      'spec.networking.admin.port: Invalid value: 99999: must be between 1 and 65535, inclusive',
    ]);
    assert.deepEqual(render(dp({}, { address: 'not an address' })), ['spec.networking.address: Invalid value: "not an address": must be a valid IP address or hostname']);
    assert.deepEqual(render({ metadata: { name: 'x' } }), ['spec.networking.address: Required value']);
  });

  it('checks the inbound state through the schema', () => {
    const bad = good();
    (bad.spec as any).networking.inbound[0].state = 'Up';
    assert.throws(() => validateObject(cd, bad, undefined, ctx), /spec\.networking\.inbound\[0\]\.state: Unsupported value: "Up": supported values: "Ready", "NotReady", "Ignored"/);
  });

  it('is healthy with a ready inbound', () => {
    assert.equal(isDataplaneHealthy(good()), true);
    assert.equal(isDataplaneHealthy(dp({}, { address: 'a', inbound: [{ port: 1 }] })), true);
    assert.equal(isDataplaneHealthy(dp({}, { address: 'a', inbound: [{ port: 1, state: 'NotReady' }, { port: 2, health: { ready: false } }] })), false);
    assert.equal(isDataplaneHealthy(dp({}, { address: 'a' })), false);
  });

  it('prints NAME MESH WORKLOAD ADDRESS AGE, and INBOUNDS when wide', () => {
    const row = tableRow(cd, good(), 'None', Date.parse('2024-01-01T00:05:00Z'));
    assert.deepEqual(row.cells, ['dp-1', 'default', 'demo-workload', '10.0.0.1', '5m', 1]);
    assert.deepEqual(dataplaneDefinition.columns!.map((c) => [c.name, c.priority ?? 0]), [
      ['Name', 0], ['Mesh', 0], ['Workload', 0], ['Address', 0], ['Age', 0], ['Inbounds', 1],
    ]);
    assert.equal(dataplaneDefinition.selectableFields!['spec.networking.address'](good()), '10.0.0.1');
  });
});
