// QoS class derivation.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeQosClass } from './pod-qos.js';

const withResources = (...rs: Record<string, unknown>[]) => ({ containers: rs.map((resources, i) => ({ name: `c${i}`, resources })) });

describe('computeQosClass', () => {
  it('is BestEffort without requests or limits', () => {
    assert.equal(computeQosClass({ containers: [{ name: 'a' }] }), 'BestEffort');
    assert.equal(computeQosClass(withResources({ requests: { cpu: '0' } })), 'BestEffort');
  });

  it('is Guaranteed when every container has equal cpu and memory requests and limits', () => {
    const r = { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '0.5', memory: '1024Mi' } };
    assert.equal(computeQosClass(withResources(r, r)), 'Guaranteed');
  });

  it('is Burstable otherwise', () => {
    assert.equal(computeQosClass(withResources({ requests: { cpu: '100m' } })), 'Burstable');
    assert.equal(computeQosClass(withResources({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2', memory: '1Gi' } })), 'Burstable');
    const full = { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } };
    assert.equal(computeQosClass(withResources(full, { limits: { cpu: '1' }, requests: { cpu: '1' } })), 'Burstable');
  });

  it('ignores resources other than cpu and memory', () => {
    assert.equal(computeQosClass(withResources({ requests: { 'ephemeral-storage': '1Gi' } })), 'BestEffort');
  });
});
