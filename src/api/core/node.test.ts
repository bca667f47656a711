// Node table cells and taint validation.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../object.js';
import { nodeDefinition, nodeRoles, nodeStatusCell, validateTaints } from './node.js';

const node = (spec: Record<string, unknown>, conditions: unknown[], labels: Record<string, string> = {}): KObject => ({
  metadata: { name: 'n1', labels },
  spec,
  status: { conditions, nodeInfo: { kubeletVersion: 'v1.32.0', osImage: '' }, addresses: [{ type: 'InternalIP', address: '10.0.0.1' }] },
});

describe('node cells', () => {
  it('derives STATUS from the Ready condition and cordoning', () => {
    assert.equal(nodeStatusCell(node({}, [{ type: 'Ready', status: 'True' }])), 'Ready');
    assert.equal(nodeStatusCell(node({}, [{ type: 'Ready', status: 'False' }])), 'NotReady');
    assert.equal(nodeStatusCell(node({}, [{ type: 'Ready', status: 'Unknown' }])), 'NotReady');
    assert.equal(nodeStatusCell(node({}, [])), 'Unknown');
    assert.equal(nodeStatusCell(node({ unschedulable: true }, [{ type: 'Ready', status: 'True' }])), 'Ready,SchedulingDisabled');
  });

  it('lists roles from labels', () => {
    const n = node({}, [], { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'edge' });
    assert.deepEqual(nodeRoles(n), ['control-plane', 'edge', 'worker']);
    assert.deepEqual(nodeRoles(node({}, [])), []);
  });

  it('computes the wide cells', () => {
    const cols = Object.fromEntries((nodeDefinition.columns ?? []).map((c) => [c.name, c]));
    const n = node({}, []);
    assert.equal(cols.Roles.value?.(n, 0), '<none>');
    assert.equal(cols.Version.value?.(n, 0), 'v1.32.0');
    assert.equal(cols['Internal-IP'].value?.(n, 0), '10.0.0.1');
    assert.equal(cols['External-IP'].value?.(n, 0), '<none>');
    assert.equal(cols['OS-Image'].value?.(n, 0), '<unknown>');
  });

  it('validates taints', () => {
    const errs = validateTaints([{ key: 'a', effect: 'NoSchedule' }, { key: 'a', effect: 'NoSchedule' }, { key: 'b' }], 'spec.taints');
    assert.deepEqual(
      errs.map((e) => `${e.field} ${e.type} ${e.detail}`),
      ['spec.taints[1] FieldValueDuplicate taints must be unique by key and effect pair', 'spec.taints[2].effect FieldValueRequired '],
    );
  });
});
