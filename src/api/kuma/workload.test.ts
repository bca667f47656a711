// Workload: empty spec, status only through /status, columns as the seed prints them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tableRow } from '../../apiserver/table.js';
import { compileDefinition } from '../../registry/compiled-definition.js';
import { validateObject } from '../../registry/write-pipeline.js';
import type { OperationContext } from '../definition.js';
import { pruneUnknown } from '../schema-validator.js';
import type { KObject } from '../object.js';
import { workloadDefinition } from './workload.js';

const ctx: OperationContext = { user: { username: 'admin', groups: [] }, dryRun: false };
const cd = compileDefinition(workloadDefinition);

const workload = (): KObject => ({
  apiVersion: 'kuma.io/v1alpha1',
  kind: 'Workload',
  metadata: {
    name: 'demo-workload',
    namespace: 'default',
    labels: { 'kuma.io/mesh': 'default', 'kuma.io/managed-by': 'k8s-controller' },
    creationTimestamp: '2024-01-01T00:00:00Z',
  },
  spec: {},
  status: { dataplaneProxies: { connected: 3, healthy: 2, total: 3 } },
});

describe('workload', () => {
  it('keeps spec empty and drops status on create', () => {
    const w = workload();
    delete w.spec;
    workloadDefinition.strategy!.prepareForCreate!(w, ctx);
    assert.deepEqual(w.spec, {});
    assert.equal(w.status, undefined);
    const extra: KObject = { metadata: { name: 'x' }, spec: { replicas: 3 } };
    const found: string[] = [];
    pruneUnknown(extra, cd.fullSchema, '', found);
    assert.deepEqual(found, ['spec.replicas']);
    assert.deepEqual(extra.spec, {});
  });

  it('validates status counts', () => {
    assert.doesNotThrow(() => validateObject(cd, workload(), undefined, ctx));
    const bad = workload();
    (bad.status as any).dataplaneProxies.total = -1;
    assert.throws(
      () => validateObject(cd, bad, undefined, ctx),
      { message: 'Workload.kuma.io "demo-workload" is invalid: status.dataplaneProxies.total: Invalid value: -1: status.dataplaneProxies.total in body should be greater than or equal to 0' },
    );
  });

  it('prints NAME MESH AGE, and the counts when wide', () => {
    const row = tableRow(cd, workload(), 'None', Date.parse('2024-01-01T00:05:00Z'));
    assert.deepEqual(row.cells, ['demo-workload', 'default', '5m', 3, 2, 3]);
    assert.deepEqual(workloadDefinition.columns!.map((c) => [c.name, c.priority ?? 0]), [
      ['Name', 0], ['Mesh', 0], ['Age', 0], ['Connected', 1], ['Healthy', 1], ['Total', 1],
    ]);
  });
});
