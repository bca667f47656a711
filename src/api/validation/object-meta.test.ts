// Metadata validation on create and update.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldErrorBody } from '../errors.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';

const render = (errs: { field: string }[]) => errs.map((e) => `${e.field}: ${fieldErrorBody(e as never)}`);

describe('validateObjectMeta', () => {
  it('requires a name or generateName', () => {
    assert.deepEqual(render(validateObjectMeta({ namespace: 'default' }, { namespaced: true })), [
      'metadata.name: Required value: name or generateName is required',
    ]);
    assert.deepEqual(validateObjectMeta({ generateName: 'web-', name: 'web-abcde', namespace: 'default' }, { namespaced: true }), []);
  });

  it('enforces namespace scope', () => {
    assert.deepEqual(render(validateObjectMeta({ name: 'a' }, { namespaced: true })), ['metadata.namespace: Required value']);
    assert.deepEqual(render(validateObjectMeta({ name: 'a', namespace: 'x' }, { namespaced: false })), [
      'metadata.namespace: Forbidden: not allowed on this type',
    ]);
  });

  it('validates the name with the definition format', () => {
    const errs = render(validateObjectMeta({ name: 'a.b' }, { namespaced: false, nameFormat: 'dns1123-label' }));
    assert.equal(errs.length, 1);
    assert.match(errs[0], /^metadata\.name: Invalid value: "a\.b": a lowercase RFC 1123 label/);
  });

  it('validates labels, annotations and owner references', () => {
    const errs = render(
      validateObjectMeta(
        {
          name: 'a',
          labels: { 'bad key!': 'ok', good: 'bad value!' },
          annotations: { big: 'x'.repeat(256 * 1024) },
          ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: '' }],
        },
        { namespaced: false },
      ),
    );
    assert.equal(errs.length, 4);
    assert.match(errs[0], /^metadata\.labels: Invalid value: "bad key!": name part must consist/);
    assert.match(errs[1], /^metadata\.labels: Invalid value: "bad value!": a valid label must be/);
    assert.equal(errs[2], 'metadata.annotations: Too long: may not be more than 262144 bytes');
    assert.equal(errs[3], 'metadata.ownerReferences.uid: Invalid value: "": uid must not be empty');
  });
});

describe('validateObjectMetaUpdate', () => {
  const old = { name: 'a', namespace: 'n', uid: 'u1', creationTimestamp: '2024-01-01T00:00:00Z', generation: 2 };

  it('keeps identity fields immutable', () => {
    assert.deepEqual(validateObjectMetaUpdate({ ...old, labels: { a: 'b' } }, old), []);
    assert.deepEqual(render(validateObjectMetaUpdate({ ...old, name: 'b', uid: 'u2' }, old)), [
      'metadata.name: Invalid value: "b": field is immutable',
      'metadata.uid: Invalid value: "u2": field is immutable',
    ]);
  });

  it('refuses new finalizers while deleting', () => {
    const deleting = { ...old, deletionTimestamp: '2024-01-02T00:00:00Z', finalizers: ['a/x'] };
    const errs = render(validateObjectMetaUpdate({ ...deleting, finalizers: ['a/x', 'b/y'] }, deleting));
    assert.deepEqual(errs, [
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b/y"}',
    ]);
  });
});
