import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../api/errors.js';
import { clone } from '../api/object.js';
import { applyStrategicMergePatch } from './strategic-merge-patch.js';
import { deploymentSchema, openSchema, podSchema } from './test-schemas.js';

const pod = () => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', labels: { app: 'web', tier: 'front' }, finalizers: ['a.io/x', 'b.io/y'] },
  spec: {
    containers: [
      { name: 'nginx', image: 'nginx:1.25', env: [{ name: 'MODE', value: 'prod' }], args: ['-g', 'daemon off;'] },
      { name: 'sidecar', image: 'envoy:1.0', ports: [{ containerPort: 9901 }] },
    ],
    volumes: [{ name: 'data', emptyDir: {} }],
    tolerations: [{ key: 'a' }, { key: 'b' }],
    nodeSelector: { disk: 'ssd', zone: 'a' },
  },
});

const names = (o: Record<string, unknown>) =>
  ((o.spec as Record<string, unknown>).containers as { name: string }[]).map((c) => c.name);

test('smp: change one container image by name, leaving the rest in place', () => {
  const live = pod();
  const out = applyStrategicMergePatch(live, { spec: { containers: [{ name: 'sidecar', image: 'envoy:2.0' }] } }, podSchema);
  const want = pod();
  want.spec.containers[1].image = 'envoy:2.0';
  assert.deepEqual(out, want);
  assert.deepEqual(live, pod(), 'input untouched');
});

test('smp: add an env var to one container', () => {
  const out = applyStrategicMergePatch(pod(), { spec: { containers: [{ name: 'nginx', env: [{ name: 'DEBUG', value: '1' }] }] } }, podSchema);
  const c = (out.spec as ReturnType<typeof pod>['spec']).containers[0];
  // kube places items the patch names before server-only items that follow them.
  assert.deepEqual(c.env, [{ name: 'DEBUG', value: '1' }, { name: 'MODE', value: 'prod' }]);
  assert.deepEqual(c.args, ['-g', 'daemon off;']);
});

test('smp: remove a container with $patch: delete', () => {
  const out = applyStrategicMergePatch(pod(), { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } }, podSchema);
  assert.deepEqual(names(out), ['nginx']);
});

test('smp: null deletes a label, other labels merge', () => {
  const out = applyStrategicMergePatch(pod(), { metadata: { labels: { tier: null, track: 'stable' } } }, podSchema);
  assert.deepEqual((out.metadata as { labels: unknown }).labels, { app: 'web', track: 'stable' });
});

test('smp: $setElementOrder orders the merged list; server-only items keep their live place', () => {
  const live = pod();
  (live.spec.containers as object[]).push({ name: 'logger', image: 'fluent:1' });
  const patch = {
    spec: {
      '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'nginx' }],
      containers: [{ name: 'nginx', image: 'nginx:1.27' }],
    },
  };
  const out = applyStrategicMergePatch(live, patch, podSchema);
  assert.deepEqual(names(out), ['sidecar', 'nginx', 'logger']);
  assert.equal((out.spec as typeof live.spec).containers[1].image, 'nginx:1.27');
});

test('smp: client-side apply adding a container (setElementOrder + new item)', () => {
  const patch = {
    spec: {
      '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'sidecar' }, { name: 'redis' }],
      containers: [{ name: 'redis', image: 'redis:7' }],
    },
  };
  const out = applyStrategicMergePatch(pod(), patch, podSchema);
  assert.deepEqual(names(out), ['nginx', 'sidecar', 'redis']);
});

test('smp: a new item without an order directive lands before later server-only items, as in kube', () => {
  const out = applyStrategicMergePatch(pod(), { spec: { containers: [{ name: 'redis', image: 'redis:7' }] } }, podSchema);
  assert.deepEqual(names(out), ['redis', 'nginx', 'sidecar']);
});

test('smp: primitive merge lists union; $deleteFromPrimitiveList removes values', () => {
  const added = applyStrategicMergePatch(pod(), { metadata: { finalizers: ['b.io/y', 'c.io/z'] } }, podSchema);
  assert.deepEqual((added.metadata as { finalizers: string[] }).finalizers, ['a.io/x', 'b.io/y', 'c.io/z']);
  const removed = applyStrategicMergePatch(pod(), { metadata: { '$deleteFromPrimitiveList/finalizers': ['a.io/x'] } }, podSchema);
  assert.deepEqual((removed.metadata as { finalizers: string[] }).finalizers, ['b.io/y']);
});

test('smp: lists without a merge strategy replace; atomic maps merge unless $patch: replace', () => {
  const out = applyStrategicMergePatch(pod(), { spec: { tolerations: [{ key: 'c' }], containers: [{ name: 'nginx', args: ['-v'] }] } }, podSchema);
  const spec = out.spec as ReturnType<typeof pod>['spec'];
  assert.deepEqual(spec.tolerations, [{ key: 'c' }]);
  assert.deepEqual(spec.containers[0].args, ['-v']);
  const replaced = applyStrategicMergePatch(pod(), { spec: { nodeSelector: { $patch: 'replace', disk: 'hdd' } } }, podSchema);
  assert.deepEqual((replaced.spec as typeof spec).nodeSelector, { disk: 'hdd' });
  const merged = applyStrategicMergePatch(pod(), { spec: { nodeSelector: { disk: 'hdd' } } }, podSchema);
  assert.deepEqual((merged.spec as typeof spec).nodeSelector, { disk: 'hdd', zone: 'a' });
});

test('smp: $patch: replace inside a list replaces the whole list', () => {
  const out = applyStrategicMergePatch(pod(), { spec: { containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] } }, podSchema);
  assert.deepEqual((out.spec as ReturnType<typeof pod>['spec']).containers, [{ name: 'only', image: 'x' }]);
});

test('smp: $patch: delete on a map removes it; $patch: merge is plain merging', () => {
  const del = applyStrategicMergePatch(pod(), { spec: { nodeSelector: { $patch: 'delete' } } }, podSchema);
  assert.equal('nodeSelector' in (del.spec as object), false);
  const merge = applyStrategicMergePatch(pod(), { metadata: { labels: { $patch: 'merge', x: 'y' } } }, podSchema);
  assert.deepEqual((merge.metadata as { labels: unknown }).labels, { app: 'web', tier: 'front', x: 'y' });
});

test('smp: $retainKeys drops live keys the patch does not retain', () => {
  const out = applyStrategicMergePatch(
    pod(),
    { spec: { volumes: [{ name: 'data', hostPath: { path: '/srv' }, $retainKeys: ['hostPath', 'name'] }] } },
    podSchema,
  );
  assert.deepEqual((out.spec as { volumes: unknown }).volumes, [{ name: 'data', hostPath: { path: '/srv' } }]);

  const deploy = { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } }, replicas: 2 } };
  const recreated = applyStrategicMergePatch(deploy, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, deploymentSchema);
  assert.deepEqual(recreated.spec, { strategy: { type: 'Recreate' }, replicas: 2 });
});

test('smp: directives inside new items and new maps are processed, not stored', () => {
  const out = applyStrategicMergePatch(
    { metadata: { name: 'x' } },
    { spec: { containers: [{ name: 'a', env: [{ name: 'E', value: '1' }, { name: 'F', $patch: 'delete' }], image: null }] } },
    podSchema,
  );
  assert.deepEqual(out.spec, { containers: [{ name: 'a', env: [{ name: 'E', value: '1' }] }] });
});

test('smp: where the schema is open, lists replace like a merge patch', () => {
  const live = { spec: { items: [{ name: 'a' }, { name: 'b' }], nested: { keep: 1 } } };
  const out = applyStrategicMergePatch(live, { spec: { items: [{ name: 'c' }], nested: { add: 2 } } }, openSchema);
  assert.deepEqual(out.spec, { items: [{ name: 'c' }], nested: { keep: 1, add: 2 } });
});

test('smp: malformed patches are 400', () => {
  const is400 = (e: unknown) => e instanceof ApiError && e.code === 400;
  assert.throws(() => applyStrategicMergePatch(pod(), { spec: { containers: [{ $patch: 'delete' }] } }, podSchema), is400);
  assert.throws(() => applyStrategicMergePatch(pod(), { spec: { containers: [{ image: 'no-name' }] } }, podSchema), is400);
  assert.throws(() => applyStrategicMergePatch(pod(), { spec: { $patch: 'explode' } }, podSchema), is400);
  assert.throws(() => applyStrategicMergePatch(pod(), [{ op: 'add' }], podSchema), is400);
  assert.throws(
    () => applyStrategicMergePatch(pod(), { spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ name: 'other' }] } }, podSchema),
    is400,
  );
});

test('smp: deployment template containers merge through nested schemas', () => {
  const live = {
    spec: {
      replicas: 3,
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'v1', ports: [{ containerPort: 80 }] }] } },
    },
  };
  const before = clone(live);
  const out = applyStrategicMergePatch(
    live,
    { spec: { template: { spec: { containers: [{ name: 'web', image: 'v2', ports: [{ containerPort: 443 }] }] } } } },
    deploymentSchema,
  );
  assert.deepEqual(out.spec, {
    replicas: 3,
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'v2', ports: [{ containerPort: 443 }, { containerPort: 80 }] }] },
    },
  });
  assert.deepEqual(live, before);
});
