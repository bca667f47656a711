import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldErrorBody, type FieldError } from '../errors.js';
import { compileRules, evaluateRules } from './cel-rules.js';

const text = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${fieldErrorBody(e)}`);

function compiled(schema: unknown) {
  const errs: FieldError[] = [];
  const node = compileRules(schema, 'spec.versions[0].schema.openAPIV3Schema', errs);
  assert.deepEqual(text(errs), []);
  return node!;
}

const schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      'x-kubernetes-validations': [
        { rule: 'self.min <= self.max', message: 'min must not exceed max' },
        { rule: 'self.max <= 100', messageExpression: "'max ' + string(self.max) + ' is above 100'", fieldPath: '.max' },
        { rule: "!has(self.mode) || self.mode != 'legacy'", message: 'legacy mode is gone', reason: 'FieldValueForbidden', fieldPath: '.mode' },
        { rule: 'self.max >= oldSelf.max', message: 'max may only grow' },
      ],
      properties: {
        min: { type: 'integer' },
        max: { type: 'integer' },
        mode: { type: 'string' },
        name: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'name is immutable' }] },
        items: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['k'],
          items: {
            type: 'object',
            properties: { k: { type: 'string' }, v: { type: 'integer' } },
            'x-kubernetes-validations': [{ rule: 'self.v >= 0' }, { rule: 'self.v >= oldSelf.v', message: 'v may only grow' }],
          },
        },
      },
    },
  },
};

describe('CEL rules (x-kubernetes-validations)', () => {
  const node = compiled(schema);
  const run = (obj: unknown, old?: unknown) => text(evaluateRules(node, obj, old, '', old !== undefined));

  it('passes valid objects; integers are CEL ints', () => {
    assert.deepEqual(run({ spec: { min: 1, max: 5, items: [{ k: 'a', v: 1 }] } }), []);
  });

  it('reports failures as kube does: message, messageExpression, fieldPath, reason, default message', () => {
    assert.deepEqual(run({ spec: { min: 900, max: 500, mode: 'legacy', items: [{ k: 'a', v: -1 }] } }), [
      'spec: Invalid value: "object": min must not exceed max',
      'spec.max: Invalid value: "object": max 500 is above 100',
      'spec.mode: Forbidden: legacy mode is gone',
      'spec.items[0]: Invalid value: "object": failed rule: self.v >= 0',
    ]);
  });

  it('evaluates transition rules only on update, pairing map-list items by key', () => {
    assert.deepEqual(run({ spec: { min: 1, max: 5, name: 'x' } }), [], 'no oldSelf on create');
    assert.deepEqual(run({ spec: { min: 1, max: 4, name: 'y' } }, { spec: { min: 1, max: 5, name: 'x' } }), [
      'spec: Invalid value: "object": max may only grow',
      'spec.name: Invalid value: "string": name is immutable',
    ]);
    const old = { spec: { min: 0, max: 5, items: [{ k: 'a', v: 5 }, { k: 'b', v: 1 }] } };
    assert.deepEqual(run({ spec: { min: 0, max: 5, items: [{ k: 'b', v: 2 }, { k: 'a', v: 3 }] } }, old), ['spec.items[1]: Invalid value: "object": v may only grow']);
    assert.deepEqual(run({ spec: { min: 0, max: 5, items: [{ k: 'c', v: 0 }] } }, old), [], 'a new key has no old value');
  });

  it('ratchets: values that did not change are not checked again', () => {
    const stored = { spec: { min: 9, max: 5 } };
    assert.deepEqual(run({ spec: { min: 9, max: 5 }, status: { x: 1 } } as never, stored), []);
    assert.deepEqual(run({ spec: { min: 9, max: 6 } }, stored), ['spec: Invalid value: "object": min must not exceed max']);
  });

  it('checks field names against the schema, as kube type-checks rules', () => {
    const errs: FieldError[] = [];
    const schema = {
      type: 'object',
      'x-kubernetes-validations': [
        { rule: "self.metadata.name.startsWith('a') && has(self.spec.replicas) && self.spec.tags.anything == 'x' && self.spec.raw.whatever" },
        { rule: 'self.spec.replicsa > 0 && self.metadata.labels.size() > 0' },
        { rule: 'self.spec.items.all(i, i.nope)' },
      ],
      properties: {
        spec: {
          type: 'object',
          properties: {
            replicas: { type: 'integer' },
            tags: { type: 'object', additionalProperties: { type: 'string' } },
            raw: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
          },
        },
      },
    };
    compileRules(schema, 'P', errs);
    assert.deepEqual(text(errs), [`P.x-kubernetes-validations[1].rule: Invalid value: "self.spec.replicsa > 0 && self.metadata.labels.size() > 0": compilation failed: undefined field 'replicsa', undefined field 'labels'`]);
  });

  it('reports compilation problems at the rule', () => {
    const errs: FieldError[] = [];
    compileRules({ type: 'object', 'x-kubernetes-validations': [{ rule: 'self.a >' }, { rule: '' }, { rule: 'true', reason: 'Nope' }, { rule: 'true', message: ' ' }] }, 'P', errs);
    const t = text(errs);
    assert.match(t[0]!, /^P\.x-kubernetes-validations\[0\]\.rule: Invalid value: "self\.a >": compilation failed: /);
    assert.equal(t[1], 'P.x-kubernetes-validations[1].rule: Required value');
    assert.equal(t[2], 'P.x-kubernetes-validations[2].reason: Unsupported value: "Nope": supported values: "FieldValueInvalid", "FieldValueForbidden", "FieldValueRequired", "FieldValueDuplicate"');
    assert.equal(t[3], 'P.x-kubernetes-validations[3].message: Invalid value: " ": message must be non-empty if specified');
  });
});
