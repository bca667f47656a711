import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet, pathString } from './field-set.js';
import { compareObjects, fieldSetOf } from './field-walk.js';
import { deploymentSchema, openSchema, podSchema } from './test-schemas.js';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '5', labels: { app: 'web' }, annotations: { 'a.io/b': 'c' } },
  spec: {
    replicas: 3,
    template: { spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }] }] } },
  },
};

test('fieldSetOf: kube FieldsV1 encoding, system fields excluded', () => {
  assert.deepEqual(fieldSetOf(deployment, deploymentSchema).toFieldsV1(), {
    'f:metadata': { 'f:annotations': { 'f:a.io/b': {} }, 'f:labels': { 'f:app': {} } },
    'f:spec': {
      'f:replicas': {},
      'f:template': {
        'f:spec': {
          'f:containers': {
            'k:{"name":"nginx"}': {
              '.': {},
              'f:image': {},
              'f:name': {},
              // Key fields with schema defaults take the default, as protocol does in kube.
              'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
            },
          },
        },
      },
    },
  });
});

test('fieldSetOf: sets, atomic lists and atomic maps', () => {
  const pod = {
    metadata: { finalizers: ['x.io/f'] },
    spec: { containers: [{ name: 'a', args: ['-v'] }], nodeSelector: { disk: 'ssd' }, tolerations: [{ key: 'k' }] },
  };
  assert.deepEqual(fieldSetOf(pod, podSchema).toFieldsV1(), {
    'f:metadata': { 'f:finalizers': { 'v:"x.io/f"': {} } },
    'f:spec': {
      'f:containers': { 'k:{"name":"a"}': { '.': {}, 'f:args': {}, 'f:name': {} } },
      'f:nodeSelector': {},
      'f:tolerations': {},
    },
  });
});

test('fieldSetOf: open objects own every entry, lists whole', () => {
  const set = fieldSetOf({ spec: { a: { b: 1 }, list: [1, 2] } }, openSchema);
  assert.deepEqual(set.toFieldsV1(), { 'f:spec': { 'f:a': { '.': {}, 'f:b': {} }, 'f:list': {} } });
});

test('FieldSet: FieldsV1 round trip and set algebra', () => {
  const v1 = { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:replicas': {}, 'f:paused': {} } };
  const a = FieldSet.fromFieldsV1(v1);
  assert.deepEqual(a.toFieldsV1(), v1);
  const b = FieldSet.fromFieldsV1({ 'f:spec': { 'f:replicas': {} }, 'f:status': { 'f:replicas': {} } });
  assert.deepEqual(a.intersection(b).toFieldsV1(), { 'f:spec': { 'f:replicas': {} } });
  assert.deepEqual(a.difference(b).toFieldsV1(), { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:paused': {} } });
  assert.deepEqual(b.union(a).toFieldsV1(), {
    'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
    'f:spec': { 'f:paused': {}, 'f:replicas': {} },
    'f:status': { 'f:replicas': {} },
  });
  assert.ok(a.has(['f:metadata', 'f:labels']));
  assert.ok(!a.has(['f:metadata']));
  assert.deepEqual([...a.paths()].map(pathString), ['.metadata.labels', '.metadata.labels.app', '.spec.paused', '.spec.replicas']);
});

test('pathString: keyed items, set items and indexes as kube prints them', () => {
  assert.equal(pathString(['f:spec', 'f:containers', 'k:{"name":"nginx"}', 'f:image']), '.spec.containers[name="nginx"].image');
  assert.equal(pathString(['f:ports', 'k:{"protocol":"TCP","containerPort":80}']), '.ports[containerPort=80,protocol="TCP"]');
  assert.equal(pathString(['f:metadata', 'f:finalizers', 'v:"x"']), '.metadata.finalizers[="x"]');
  assert.equal(pathString(['f:args', 'i:2']), '.args[2]');
});

test('compareObjects: added subtrees, removed subtrees, modified leaves', () => {
  const after = structuredClone(deployment);
  after.spec.replicas = 4;
  after.spec.template.spec.containers.push({ name: 'side', image: 'envoy', ports: [] });
  delete (after.metadata as { annotations?: unknown }).annotations;
  after.metadata.resourceVersion = '6';
  const c = compareObjects(deployment, after, deploymentSchema);
  assert.deepEqual([...c.modified.paths()].map(pathString), ['.spec.replicas']);
  assert.deepEqual([...c.removed.paths()].map(pathString), ['.metadata.annotations', '.metadata.annotations.a.io/b']);
  assert.deepEqual([...c.added.paths()].map(pathString), [
    '.spec.template.spec.containers[name="side"]',
    '.spec.template.spec.containers[name="side"].image',
    '.spec.template.spec.containers[name="side"].name',
    '.spec.template.spec.containers[name="side"].ports',
  ]);
});
