import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldErrorBody } from '../errors.js';
import type { KObject } from '../object.js';
import { definitionsForCrd } from './crd-definitions.js';

const schema = {
  type: 'object',
  required: ['spec'],
  properties: {
    apiVersion: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      properties: { size: { type: 'integer', default: 1 }, tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } } },
      'x-kubernetes-validations': [{ rule: 'self.size < 10', message: 'too big' }],
    },
    status: { type: 'object', properties: { ready: { type: 'boolean' } } },
  },
};

const crd: KObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gadgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Cluster',
    names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList', shortNames: ['gd'] },
    versions: [
      { name: 'v1alpha1', served: true, storage: false, schema: { openAPIV3Schema: schema } },
      { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema }, subresources: { status: {}, scale: { specReplicasPath: '.spec.size', statusReplicasPath: '.status.size' } }, additionalPrinterColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }], selectableFields: [{ jsonPath: '.spec.size' }] },
      { name: 'v2', served: false, storage: false, schema: { openAPIV3Schema: schema } },
    ],
  },
};

const ctx = { user: { username: 't', groups: [] }, dryRun: false };

describe('definitionsForCrd', () => {
  const defs = definitionsForCrd(crd, { names: (crd.spec as any).names, terminating: false });

  it('serves served versions only, preferred (highest priority) first, all stored as the storage version', () => {
    assert.deepEqual(defs.map((d) => d.version), ['v1', 'v1alpha1']);
    assert.ok(defs.every((d) => d.storageVersion === 'v1' && !d.namespaced && d.kind === 'Gadget' && d.plural === 'gadgets'));
    assert.deepEqual(defs[0]!.shortNames, ['gd']);
    assert.equal(defs[0]!.strategicMerge, false);
  });

  it('takes subresources, columns (Name first, no Age added) and selectable fields per version', () => {
    const [v1, alpha] = defs;
    assert.deepEqual(v1!.subresources, { status: true, scale: { specReplicasPath: '.spec.size', statusReplicasPath: '.status.size' } });
    assert.equal(alpha!.subresources, undefined);
    assert.deepEqual(v1!.columns!.map((c) => c.name), ['Name', 'Size']);
    assert.deepEqual(alpha!.columns!.map((c) => c.name), ['Name', 'Age']);
    assert.equal(v1!.selectableFields!['spec.size']!({ metadata: {}, spec: { size: 3 } } as KObject), '3');
  });

  it('keeps apiVersion, kind and metadata out of the body schema', () => {
    const props = (defs[0]!.schema as any).properties;
    assert.deepEqual(Object.keys(props).sort(), ['spec', 'status']);
    assert.deepEqual((defs[0]!.schema as any).required, ['spec']);
  });

  it('its strategy evaluates CEL and list uniqueness, drops status on create, refuses creates while terminating', () => {
    const s = defs[0]!.strategy!;
    const obj = { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'a' }, spec: { size: 12, tags: ['a', 'a'] }, status: { ready: true } } as KObject;
    s.prepareForCreate!(obj, ctx);
    assert.equal(obj.status, undefined);
    assert.deepEqual(s.validate!(obj, ctx).map((e) => `${e.field}: ${fieldErrorBody(e)}`), ['spec.tags[1]: Duplicate value: "a"', 'spec: Invalid value: "object": too big']);
    const [dying] = definitionsForCrd(crd, { names: (crd.spec as any).names, terminating: true });
    assert.throws(() => dying!.strategy!.prepareForCreate!(obj, ctx), /create not allowed while custom resource definition is terminating/);
  });
});
