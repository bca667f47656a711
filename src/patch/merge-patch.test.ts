import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../api/errors.js';
import { applyMergePatch } from './merge-patch.js';

test('merge patch: objects merge, null deletes, arrays replace', () => {
  const target = { metadata: { labels: { a: '1', b: '2' } }, spec: { replicas: 1, args: ['x', 'y'], image: 'old' } };
  const out = applyMergePatch(target, { metadata: { labels: { b: null, c: '3' } }, spec: { args: ['z'], image: 'new' } });
  assert.deepEqual(out, { metadata: { labels: { a: '1', c: '3' } }, spec: { replicas: 1, args: ['z'], image: 'new' } });
  assert.deepEqual(target.metadata.labels, { a: '1', b: '2' }, 'input untouched');
});

test('merge patch: RFC 7386 corner cases', () => {
  assert.deepEqual(applyMergePatch({ a: 'b' }, { a: { b: 'c' } }), { a: { b: 'c' } });
  assert.deepEqual(applyMergePatch({ a: [{ b: 'c' }] }, { a: [1] }), { a: [1] });
  assert.deepEqual(applyMergePatch({}, { a: { bb: { ccc: null } } }), { a: { bb: {} } });
  assert.deepEqual(applyMergePatch({ e: null }, { a: 1 }), { e: null, a: 1 });
  const patch = { spec: { list: [{ n: 1 }] } };
  const out = applyMergePatch({}, patch);
  (out.spec as { list: { n: number }[] }).list[0].n = 2;
  assert.equal(patch.spec.list[0].n, 1, 'result does not alias the patch');
});

test('merge patch: a body that is not an object is a 400', () => {
  for (const body of [[1], 'x', 3, null]) {
    assert.throws(
      () => applyMergePatch({}, body),
      (e: unknown) => e instanceof ApiError && e.code === 400 && e.reason === 'BadRequest',
    );
  }
});
