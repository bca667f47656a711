import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldErrorBody } from '../errors.js';
import { pruneUnknown, SchemaValidator } from '../schema-validator.js';
import { prepareSchema, validateStructural } from './structural-schema.js';

const P = 'spec.versions[0].schema.openAPIV3Schema';
const messages = (schema: unknown) => validateStructural(schema, P).map((e) => `${e.field}: ${fieldErrorBody(e)}`);

describe('structural schema checks', () => {
  it('accepts a typical structural schema', () => {
    const ok = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          required: ['name'],
          properties: {
            name: { type: 'string' },
            port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
            tags: { type: 'object', additionalProperties: { type: 'string' } },
            items: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
            raw: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            either: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, oneOf: [{ required: ['a'] }, { required: ['b'] }] },
          },
        },
      },
    };
    assert.deepEqual(messages(ok), []);
  });

  it('reports missing types at each level in kube words', () => {
    assert.deepEqual(messages({ properties: { spec: { properties: { list: { type: 'array', items: {} } } } } }), [
      `${P}.properties[spec].properties[list].items.type: Required value: must not be empty for specified array items`,
      `${P}.properties[spec].type: Required value: must not be empty for specified object fields`,
      `${P}.type: Required value: must not be empty at the root`,
    ]);
    assert.deepEqual(messages({ type: 'string' }), [`${P}.type: Invalid value: "string": must be object at the root`]);
    assert.deepEqual(messages({ type: 'object', properties: { l: { type: 'array' } } }), [`${P}.properties[l].items: Required value: must be specified`]);
  });

  it('forbids what structural schemas cannot carry', () => {
    const errs = messages({
      type: 'object',
      additionalProperties: { type: 'string' },
      properties: {
        r: { $ref: '#/definitions/x', type: 'object' },
        u: { type: 'array', uniqueItems: true, items: { type: 'string' } },
        both: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } },
        junct: { type: 'object', anyOf: [{ type: 'object', description: 'x' }] },
        meta: { type: 'object', properties: { metadata: { type: 'object' } } },
        ios: { 'x-kubernetes-int-or-string': true, 'x-kubernetes-preserve-unknown-fields': true },
      },
    });
    for (const want of [
      `${P}.additionalProperties: Forbidden: must not be used at the root`,
      `${P}.properties[r].$ref: Forbidden: $ref is not supported`,
      `${P}.properties[u].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic`,
      `${P}.properties[both].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
      `${P}.properties[junct].anyOf[0].type: Forbidden: must be empty to be structural`,
      `${P}.properties[junct].anyOf[0].description: Forbidden: must be empty to be structural`,
      `${P}.properties[ios].x-kubernetes-preserve-unknown-fields: Invalid value: true: must be false if x-kubernetes-int-or-string is true`,
    ]) assert.ok(errs.includes(want), `${want}\nnot in\n${errs.join('\n')}`);
  });

  it('checks metadata at the root, list types and embedded resources', () => {
    const errs = messages({
      type: 'object',
      properties: {
        metadata: { type: 'object', properties: { labels: { type: 'object' } } },
        m: { type: 'array', 'x-kubernetes-list-type': 'map', items: { type: 'object', properties: { k: { type: 'string' } } } },
        n: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['k'], items: { type: 'object', properties: { k: { type: 'string' } } } },
        bad: { type: 'array', 'x-kubernetes-list-type': 'bag', items: { type: 'string' } },
        e: { 'x-kubernetes-embedded-resource': true },
      },
    });
    for (const want of [
      `${P}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`,
      `${P}.properties[m].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map`,
      `${P}.properties[n].items.properties[k]: Required value: all map keys must be required or have a default value`,
      `${P}.properties[bad].x-kubernetes-list-type: Unsupported value: "bag": supported values: "atomic", "map", "set"`,
      `${P}.properties[e].type: Required value: must be object if x-kubernetes-embedded-resource is true`,
    ]) assert.ok(errs.includes(want), `${want}\nnot in\n${errs.join('\n')}`);
  });
});

describe('prepareSchema', () => {
  it('closes typed objects so pruning drops unknown fields, and keeps preserved ones', () => {
    const s = prepareSchema({ type: 'object', properties: { spec: { type: 'object' }, raw: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } });
    const obj = { spec: { x: 1 }, raw: { y: 2 }, z: 3 };
    const found: string[] = [];
    pruneUnknown(obj, s, '', found);
    assert.deepEqual(obj, { spec: {}, raw: { y: 2 } });
    assert.deepEqual(found.sort(), ['spec.x', 'z']);
  });

  it('prunes beside value-validation junctors, and validates int-or-string', () => {
    const s = prepareSchema({
      type: 'object',
      properties: { a: { type: 'string' }, port: { 'x-kubernetes-int-or-string': true } },
      anyOf: [{ required: ['a'] }, { required: ['port'] }],
    });
    const obj: Record<string, unknown> = { a: 'x', junk: true };
    pruneUnknown(obj, s, '', []);
    assert.deepEqual(obj, { a: 'x' });
    const v = new SchemaValidator(s);
    assert.deepEqual(v.validate({ port: 8080 }), []);
    assert.deepEqual(v.validate({ port: 'http' }), []);
    assert.ok(v.validate({ port: true }).length > 0);
    assert.ok(v.validate({}).length > 0, 'anyOf required');
  });

  it('gives embedded resources apiVersion, kind and metadata', () => {
    const s = prepareSchema({ type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true });
    const errs = new SchemaValidator(s).validate({ metadata: { name: 'x' } }).map((e) => `${e.field}: ${fieldErrorBody(e)}`);
    assert.deepEqual(errs.sort(), ['apiVersion: Required value', 'kind: Required value']);
  });
});
