// No patch, whatever its type or shape, may reach Object.prototype: `__proto__`
// keys and pointers are refused with a 400, and names Object.prototype
// carries (`constructor`, `toString`...) are plain data in every merge.

import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ApiError } from '../api/errors.js';
import { applyJsonPatch, applyMergePatch, applyServerSide, applyStrategicMergePatch } from './index.js';
import { podSchema } from './test-schemas.js';

const proto = Object.prototype as Record<string, unknown>;
const clean = () => {
  for (const k of ['x', 'polluted']) assert.equal(proto[k], undefined, `Object.prototype.${k} was set`);
};
const is400 = (e: unknown) => e instanceof ApiError && e.code === 400;
const live = () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ns' }, data: { a: '1' } });
const pod = () => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'ns' },
  spec: { containers: [{ name: 'c', image: 'i', env: [{ name: 'A', value: '1' }] }] },
});

// Hostile bodies as JSON.parse produces them (own `__proto__` keys).
const hostile = [
  '{"__proto__":{"x":"1"}}',
  '{"data":{"__proto__":{"x":"1"}}}',
  '{"metadata":{"__proto__":{"x":"1"}}}',
  '{"metadata":{"labels":{"__proto__":{"polluted":"yes"}}}}',
  '{"spec":{"containers":[{"name":"c","__proto__":{"x":1}}]}}',
];

describe('patches and Object.prototype', () => {
  afterEach(clean);

  it('merge patch: __proto__ anywhere is a 400', () => {
    for (const text of hostile) assert.throws(() => applyMergePatch(live(), JSON.parse(text)), is400, text);
  });

  it('strategic merge patch: __proto__ keys and directive targets are 400s', () => {
    for (const text of hostile) assert.throws(() => applyStrategicMergePatch(pod(), JSON.parse(text), podSchema), is400, text);
    assert.throws(() => applyStrategicMergePatch(pod(), { spec: { '$setElementOrder/__proto__': [{ name: 'c' }] } }, podSchema), is400);
    assert.throws(() => applyStrategicMergePatch(pod(), { spec: { '$deleteFromPrimitiveList/__proto__': ['x'] } }, podSchema), is400);
  });

  it('server-side apply: __proto__ in the configuration is a 400', () => {
    for (const text of hostile) {
      const applied = { apiVersion: 'v1', kind: 'ConfigMap', ...JSON.parse(text) };
      assert.throws(() => applyServerSide({ live: live(), applied, manager: 'm', force: false, apiVersion: 'v1', now: '2024-01-01T00:00:00Z' }), is400, text);
    }
  });

  it('JSON patch: __proto__ in a path, a from or a value is a 400', () => {
    for (const ops of [
      [{ op: 'add', path: '/metadata/__proto__/x', value: '1' }],
      [{ op: 'add', path: '/__proto__', value: { x: 1 } }],
      [{ op: 'copy', from: '/__proto__', path: '/data/b' }],
      [{ op: 'replace', path: '/data/a', value: JSON.parse('{"__proto__":{"x":1}}') }],
    ]) {
      assert.throws(() => applyJsonPatch(live(), ops), is400, JSON.stringify(ops));
    }
  });

  it('JSON patch: pointers resolve through own keys only', () => {
    const fails422 = (e: unknown) => e instanceof ApiError && e.code === 422;
    // `constructor` is not a key of the ConfigMap's data until someone adds it.
    assert.throws(() => applyJsonPatch(live(), [{ op: 'replace', path: '/data/constructor', value: 'x' }]), fails422);
    assert.throws(() => applyJsonPatch(live(), [{ op: 'copy', from: '/data/toString', path: '/data/b' }]), fails422);
    assert.throws(() => applyJsonPatch(live(), [{ op: 'test', path: '/data/hasOwnProperty', value: null }]), fails422);
    const out = applyJsonPatch(live(), [
      { op: 'add', path: '/data/constructor', value: 'c' },
      { op: 'copy', from: '/data/constructor', path: '/data/prototype' },
    ]);
    assert.deepEqual(out.data, { a: '1', constructor: 'c', prototype: 'c' });
  });

  it('constructor, prototype and toString are plain data keys in every merge', () => {
    const keys = { constructor: 'a', prototype: 'b', toString: 'c', hasOwnProperty: 'd', valueOf: 'e' };
    assert.deepEqual(applyMergePatch(live(), { data: keys }).data, { a: '1', ...keys });
    const smp = applyStrategicMergePatch(pod(), { metadata: { labels: keys } }, podSchema);
    assert.deepEqual((smp.metadata as Record<string, unknown>).labels, keys);
    const ssa = applyServerSide({ live: live(), applied: { apiVersion: 'v1', kind: 'ConfigMap', data: keys }, manager: 'm', force: false, apiVersion: 'v1', now: '2024-01-01T00:00:00Z' });
    assert.deepEqual(ssa.object.data, { a: '1', ...keys });
    // A merge into a live object that has no such key must not read Object.prototype's.
    const nested = applyMergePatch(live(), { data: null, spec: { constructor: { name: 'x' } } });
    assert.deepEqual(nested.spec, { constructor: { name: 'x' } });
  });
});
