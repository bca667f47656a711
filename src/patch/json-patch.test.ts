import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../api/errors.js';
import { applyJsonPatch } from './json-patch.js';

const live = { spec: { replicas: 1, containers: [{ name: 'a', image: 'x' }] } };

test('json patch: operations apply to a copy', () => {
  const out = applyJsonPatch(live, [
    { op: 'test', path: '/spec/replicas', value: 1 },
    { op: 'replace', path: '/spec/containers/0/image', value: 'y' },
    { op: 'add', path: '/spec/containers/-', value: { name: 'b' } },
    { op: 'remove', path: '/spec/replicas' },
  ]);
  assert.deepEqual(out, { spec: { containers: [{ name: 'a', image: 'y' }, { name: 'b' }] } });
  assert.equal(live.spec.replicas, 1);
  assert.equal(live.spec.containers[0].image, 'x');
});

const is422 = (e: unknown) =>
  e instanceof ApiError && e.code === 422 && e.reason === 'Invalid' && e.message === 'the server rejected our request due to an error in our request';

test('json patch: failures are 422 Invalid as kube-apiserver answers', () => {
  assert.throws(() => applyJsonPatch(live, [{ op: 'test', path: '/spec/replicas', value: 2 }]), is422);
  assert.throws(() => applyJsonPatch(live, [{ op: 'remove', path: '/spec/missing' }]), is422);
  assert.throws(() => applyJsonPatch(live, [{ op: 'add', path: '/spec/a/b', value: 1 }]), is422);
  assert.throws(() => applyJsonPatch(live, [{ op: 'frobnicate', path: '/spec' }]), is422);
  assert.throws(() => applyJsonPatch(live, [{ op: 'replace', path: '', value: 3 }]), is422);
  assert.equal(live.spec.replicas, 1, 'input untouched after a failure');
});

test('json patch: a body that is not a list of operations is 400', () => {
  const is400 = (e: unknown) => e instanceof ApiError && e.code === 400;
  assert.throws(() => applyJsonPatch(live, { op: 'add' }), is400);
  assert.throws(() => applyJsonPatch(live, ['x']), is400);
});
