import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldErrorBody } from '../errors.js';
import { clone, type KObject } from '../object.js';
import { customResourceDefinitionDefinition as def } from './crd.js';

const ctx = { user: { username: 't', groups: [] }, dryRun: false };

function crd(over: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'gadgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'gadgets', kind: 'Gadget' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
      ...over,
    },
  };
}

const created = (c: KObject) => {
  def.strategy!.prepareForCreate!(c, ctx);
  return c;
};
const errors = (c: KObject) => def.strategy!.validate!(created(c), ctx).map((e) => `${e.field}: ${fieldErrorBody(e)}`);

describe('CustomResourceDefinition strategy', () => {
  it('defaults singular, listKind and conversion; starts storedVersions; adds the cleanup finalizer', () => {
    const c = created(crd());
    const spec = c.spec as Record<string, any>;
    assert.deepEqual(spec.names, { plural: 'gadgets', kind: 'Gadget', singular: 'gadget', listKind: 'GadgetList' });
    assert.deepEqual(spec.conversion, { strategy: 'None' });
    assert.deepEqual((c.status as any).storedVersions, ['v1']);
    assert.deepEqual(c.metadata.finalizers, ['customresourcecleanup.apiextensions.k8s.io']);
    assert.deepEqual(def.strategy!.validate!(c, ctx), []);
  });

  it('refuses bad names, groups, scopes and versions with kube messages', () => {
    assert.deepEqual(errors({ ...crd(), metadata: { name: 'widgets.example.com' } }), ['metadata.name: Invalid value: "widgets.example.com": must be spec.names.plural+"."+spec.group']);
    assert.ok(errors(crd({ group: 'example' })).includes('spec.group: Invalid value: "example": should be a domain with at least one dot'));
    assert.ok(errors(crd({ scope: 'Global' })).includes('spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"'));
    const two = crd({ versions: [
      { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
      { name: 'v2', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
    ] });
    assert.ok(errors(two).some((e) => /^spec\.versions: Invalid value: .*: must have exactly one version marked as storage version$/.test(e)));
    const noSchema = crd({ versions: [{ name: 'v1', served: true, storage: true }] });
    assert.ok(errors(noSchema).includes('spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required'));
    const names = crd({ names: { plural: 'Gadgets', kind: 'gadget-x', listKind: 'gadget-x', shortNames: ['G'] } });
    const e = errors({ ...names, metadata: { name: 'Gadgets.example.com' } });
    assert.ok(e.some((x) => x.startsWith('spec.names.plural: Invalid value: "Gadgets": a DNS-1035 label must consist of lower case alphanumeric characters')), e.join('\n'));
    assert.ok(e.includes('spec.names.listKind: Invalid value: "gadget-x": kind and listKind may not be the same'));
    assert.ok(e.some((x) => x.startsWith('spec.names.shortNames[0]: Invalid value: "G":')));
  });

  it('protected groups need the api-approved annotation', () => {
    const c = crd({ group: 'scheduling.k8s.io', names: { plural: 'gadgets', kind: 'Gadget' } });
    c.metadata.name = 'gadgets.scheduling.k8s.io';
    assert.deepEqual(errors(clone(c)), [
      'metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111',
    ]);
    c.metadata.annotations = { 'api-approved.kubernetes.io': 'unapproved, testing' };
    assert.deepEqual(errors(c), []);
  });

  it('checks printer columns, scale paths and CEL rules', () => {
    const c = crd({ versions: [{
      name: 'v1', served: true, storage: true,
      schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-validations': [{ rule: 'self.x ==' }] } },
      subresources: { scale: { specReplicasPath: '.status.replicas', statusReplicasPath: '.status.replicas' } },
      additionalPrinterColumns: [{ name: 'X', type: 'float', jsonPath: 'spec.x' }],
    }] });
    const e = errors(c);
    assert.ok(e.includes('spec.versions[0].subresources.scale.specReplicasPath: Invalid value: ".status.replicas": should be a json path under .spec'), e.join('\n'));
    assert.ok(e.includes('spec.versions[0].additionalPrinterColumns[0].type: Unsupported value: "float": supported values: "boolean", "date", "integer", "number", "string"'));
    assert.ok(e.includes('spec.versions[0].additionalPrinterColumns[0].jsonPath: Invalid value: "spec.x": must be a simple json path'));
    assert.ok(e.some((x) => x.startsWith('spec.versions[0].schema.openAPIV3Schema.x-kubernetes-validations[0].rule: Invalid value: "self.x ==": compilation failed')));
  });

  it('on update: group and plural never change, scope and kind not once established; storedVersions grows', () => {
    const old = created(crd());
    old.status = { ...(old.status as object), conditions: [{ type: 'Established', status: 'True' }] };
    const next = clone(old);
    Object.assign(next.spec as object, { scope: 'Cluster', group: 'other.com' });
    (next.spec as any).names.kind = 'Widget';
    const e = def.strategy!.validateUpdate!(next, old, ctx).map((x) => `${x.field}: ${fieldErrorBody(x)}`);
    for (const f of ['spec.scope', 'spec.names.kind', 'spec.group']) assert.ok(e.some((x) => x.startsWith(`${f}: Invalid value`) && x.endsWith('field is immutable')), `${f}: ${e.join('\n')}`);
    const v2 = clone(old);
    (v2.spec as any).versions = [
      { name: 'v1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
      { name: 'v2', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
    ];
    def.strategy!.prepareForUpdate!(v2, old, ctx);
    assert.deepEqual((v2.status as any).storedVersions, ['v1', 'v2']);
    const dropV1 = clone(v2);
    (dropV1.spec as any).versions = [(v2.spec as any).versions[1]];
    assert.ok(def.strategy!.validateUpdate!(dropV1, v2, ctx).some((x) => x.field === 'status.storedVersions[0]' && x.detail === 'must appear in spec.versions'));
  });
});
