import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../object.js';
import { jsonPathCell, toJsonPathPlus } from './printer-columns.js';

const obj = {
  apiVersion: 'x/v1',
  kind: 'X',
  metadata: { name: 'a', labels: { 'app.kubernetes.io/name': 'web' } },
  spec: { containers: [{ image: 'a:1' }, { image: 'b:2' }], replicas: 3 },
  status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Synced', status: 'False' }] },
} as KObject;

describe('printer column JSONPath', () => {
  it("translates kube's syntax", () => {
    assert.equal(toJsonPathPlus('.spec.replicas'), '$.spec.replicas');
    assert.equal(toJsonPathPlus('.metadata.labels.app\\.kubernetes\\.io/name'), "$.metadata.labels['app.kubernetes.io/name']");
    assert.equal(toJsonPathPlus('.status.conditions[?(@.type=="Ready")].status'), '$.status.conditions[?(@.type=="Ready")].status');
    assert.equal(toJsonPathPlus('{.spec.replicas}'), '$.spec.replicas');
    assert.equal(toJsonPathPlus('spec.replicas'), undefined);
    assert.equal(toJsonPathPlus('..spec'), undefined);
    assert.equal(toJsonPathPlus('.spec[0'), undefined);
  });

  it('evaluates cells: one value, several joined, none undefined', () => {
    assert.equal(jsonPathCell('.spec.replicas')(obj), 3);
    assert.equal(jsonPathCell('.status.conditions[?(@.type=="Ready")].status')(obj), 'True');
    assert.equal(jsonPathCell('.spec.containers[*].image')(obj), 'a:1,b:2');
    assert.equal(jsonPathCell('.metadata.labels.app\\.kubernetes\\.io/name')(obj), 'web');
    assert.equal(jsonPathCell('.status.phase')(obj), undefined);
  });
});
