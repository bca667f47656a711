import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../api/errors.js';
import { updateManagedFields } from './managed-fields.js';
import { applyServerSide } from './server-side-apply.js';
import type { ApplyResult } from './server-side-apply.js';
import { deploymentSchema } from './test-schemas.js';

const T0 = '2024-05-01T10:00:00Z';
const T1 = '2024-05-01T11:00:00Z';
const T2 = '2024-05-01T12:00:00Z';

// Loosely typed on purpose: the tests poke into nested JSON.
type Json = Record<string, any>;

/** An apply configuration; null leaves spec or labels out (an empty map would claim the map itself). */
const config = (spec: Json | null, labels: Record<string, string> | null = { app: 'web' }): Json => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', ...(labels ? { labels } : {}) },
  ...(spec ? { spec } : {}),
});

type Result = Omit<ApplyResult, 'object'> & { object: Json };

const apply = (live: object | undefined, applied: unknown, manager = 'kubectl', now = T0, force = false): Result =>
  applyServerSide({ live, applied, manager, force, schema: deploymentSchema, apiVersion: 'apps/v1', now });

/** What the registry would store: the merged object plus the server's metadata. */
const stored = (r: Result): Json => {
  const o = structuredClone(r.object) as Json;
  o.metadata.uid ??= 'uid-1';
  return o;
};

const containers = (o: Json) => o.spec.template.spec.containers;

function expectConflict(fn: () => unknown, message: string, fields: string[]) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ApiError);
    assert.equal(e.code, 409);
    assert.equal(e.reason, 'Conflict');
    assert.equal(e.message, message);
    assert.deepEqual(e.details?.causes?.map((c) => c.field), fields);
    assert.ok(e.details?.causes?.every((c) => c.reason === 'FieldManagerConflict'));
    return true;
  });
}

test('apply creates the object and records an Apply entry', () => {
  const r = apply(undefined, config({ replicas: 2 }));
  assert.equal(r.changed, true);
  assert.equal(r.object.spec.replicas, 2);
  assert.deepEqual(r.managedFields, [
    {
      manager: 'kubectl',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      time: T0,
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:replicas': {} } },
    },
  ]);
  assert.deepEqual(r.object.metadata.managedFields, r.managedFields);
});

test('re-applying the same configuration changes nothing, time included', () => {
  const live = stored(apply(undefined, config({ replicas: 2 })));
  const again = apply(live, config({ replicas: 2 }), 'kubectl', T1);
  assert.equal(again.changed, false);
  assert.deepEqual(again.object, live);
});

test('a field dropped from the configuration is removed', () => {
  const live = stored(apply(undefined, config({ replicas: 2, paused: true }, { app: 'web', tier: 'front' })));
  const r = apply(live, config({ replicas: 2 }), 'kubectl', T1);
  assert.equal(r.changed, true);
  assert.equal('paused' in r.object.spec, false);
  assert.deepEqual(r.object.metadata.labels, { app: 'web' });
  assert.equal(r.managedFields[0].time, T1);
});

test('an applier whose set was migrated from client-side apply keeps the parents of what it still applies', () => {
  // kubectl's migration moves the Update entry ("." on spec, template...) to its Apply manager.
  const live = stored(apply(undefined, config({ replicas: 2, paused: true, template: { spec: { containers: [{ name: 'c', image: 'x' }] } } })));
  const csa = updateManagedFields({ old: undefined, updated: live, manager: 'kubectl-client-side-apply', schema: deploymentSchema, apiVersion: 'apps/v1', now: T0 });
  live.metadata.managedFields = [{ ...csa[0], manager: 'kubectl', operation: 'Apply' }];
  assert.ok('.' in live.metadata.managedFields[0].fieldsV1['f:spec'], 'the migrated set claims spec itself');
  const r = apply(live, config({ template: { spec: { containers: [{ name: 'c', image: 'y' }] } } }), 'kubectl', T1);
  assert.deepEqual(r.object.spec, { template: { spec: { containers: [{ name: 'c', image: 'y' }] } } }, 'dropped fields go, spec and template stay');
});

test('two appliers: different value is a conflict on .spec.replicas; same value is shared', () => {
  const live = stored(apply(undefined, config({ replicas: 2 }), 'alice'));
  expectConflict(
    () => apply(live, config({ replicas: 3 }, null), 'bob'),
    'Apply failed with 1 conflict: conflict with "alice": .spec.replicas',
    ['.spec.replicas'],
  );
  const shared = apply(live, config({ replicas: 2 }, null), 'bob', T1);
  assert.equal(shared.changed, false);
  assert.deepEqual(
    shared.managedFields.map((e) => [e.manager, e.fieldsV1]),
    [
      ['alice', { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:replicas': {} } }],
      ['bob', { 'f:spec': { 'f:replicas': {} } }],
    ],
  );
  // A shared field survives when one owner stops applying it.
  const after = apply(stored(shared), config(null), 'alice', T2);
  assert.equal(after.object.spec.replicas, 2);
});

test('force takes ownership from the other manager', () => {
  const live = stored(apply(undefined, config({ replicas: 2, paused: false }), 'alice'));
  const r = apply(live, config({ replicas: 5 }, null), 'bob', T1, true);
  assert.equal(r.object.spec.replicas, 5);
  const byManager = Object.fromEntries(r.managedFields.map((e) => [e.manager, e.fieldsV1]));
  assert.deepEqual(byManager.alice, { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:paused': {} } });
  assert.deepEqual(byManager.bob, { 'f:spec': { 'f:replicas': {} } });
});

test('kubectl scale (an Update on /scale) then apply with another replica count conflicts', () => {
  const live = stored(apply(undefined, config({ replicas: 2 })));
  const scaled = structuredClone(live);
  scaled.spec.replicas = 7;
  scaled.metadata.managedFields = updateManagedFields({
    old: live,
    updated: scaled,
    manager: 'kubectl-scale',
    subresource: 'scale',
    schema: deploymentSchema,
    apiVersion: 'apps/v1',
    now: T1,
  });
  expectConflict(
    () => apply(scaled, config({ replicas: 2 }), 'kubectl', T2),
    'Apply failed with 1 conflict: conflict with "kubectl-scale" with subresource "scale" using apps/v1: .spec.replicas',
    ['.spec.replicas'],
  );
  // Without replicas in the configuration the applier no longer fights the scaler.
  const r = apply(scaled, config(null), 'kubectl', T2);
  assert.equal(r.object.spec.replicas, 7);
});

test('a client-side (Update) owner conflicts too, named with its apiVersion', () => {
  const live = config({ replicas: 1 });
  live.metadata.managedFields = updateManagedFields({
    old: undefined,
    updated: live,
    manager: 'kubectl-client-side-apply',
    schema: deploymentSchema,
    apiVersion: 'apps/v1',
    now: T0,
  });
  expectConflict(
    () => apply(live, config({ replicas: 4, paused: true }, { app: 'other' }), 'kubectl', T1),
    'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .metadata.labels.app\n- .spec.replicas',
    ['.metadata.labels.app', '.spec.replicas'],
  );
});

const withContainers = (...cs: Json[]) => config({ template: { spec: { containers: cs } } }, null);

test('keyed lists merge per item: each manager keeps its own container', () => {
  let live = stored(apply(undefined, withContainers({ name: 'nginx', image: 'nginx:1' }), 'alice'));
  live = stored(apply(live, withContainers({ name: 'sidecar', image: 'envoy:1' }), 'bob', T1));
  assert.deepEqual(containers(live).map((c: Json) => c.name), ['nginx', 'sidecar']);
  const r = apply(live, withContainers({ name: 'nginx', image: 'nginx:2' }), 'alice', T2);
  assert.deepEqual(containers(r.object), [
    { name: 'nginx', image: 'nginx:2' },
    { name: 'sidecar', image: 'envoy:1' },
  ]);
  const gone = apply(stored(r), withContainers({ name: 'sidecar', image: 'envoy:1' }), 'bob', T2);
  assert.deepEqual(containers(gone.object).map((c: Json) => c.name), ['nginx', 'sidecar'], 'bob re-applying the same keeps all');
  const dropped = apply(stored(r), withContainers(), 'bob', T2);
  assert.deepEqual(containers(dropped.object).map((c: Json) => c.name), ['nginx']);
});

test('labels are owned per key', () => {
  let live = stored(apply(undefined, config(null, { a: '1' }), 'alice'));
  live = stored(apply(live, config(null, { b: '2' }), 'bob', T1));
  assert.deepEqual(live.metadata.labels, { a: '1', b: '2' });
  const r = apply(live, config(null, null), 'alice', T2);
  assert.deepEqual(r.object.metadata.labels, { b: '2' });
  assert.deepEqual(r.managedFields.map((e) => e.manager), ['bob']);
});

test('sets merge per value; atomic lists conflict as a whole', () => {
  const fin = (f: string[]) => ({ ...config(null, null), metadata: { name: 'web', finalizers: f } });
  let live = stored(apply(undefined, fin(['a.io/x']), 'alice'));
  live = stored(apply(live, fin(['b.io/y']), 'bob', T1));
  assert.deepEqual(live.metadata.finalizers, ['a.io/x', 'b.io/y']);
  assert.deepEqual(apply(live, fin([]), 'alice', T2).object.metadata.finalizers, ['b.io/y']);

  const argsLive = stored(apply(undefined, withContainers({ name: 'c', args: ['-x'] }), 'alice'));
  expectConflict(
    () => apply(argsLive, withContainers({ name: 'c', args: ['-y'] }), 'bob', T1),
    'Apply failed with 1 conflict: conflict with "alice": .spec.template.spec.containers[name="c"].args',
    ['.spec.template.spec.containers[name="c"].args'],
  );
});

test('invalid configurations are 400', () => {
  const is400 = (e: unknown) => e instanceof ApiError && e.code === 400;
  assert.throws(() => apply(undefined, { ...config(null), apiVersion: 'apps/v1beta1' }), is400);
  const withMf = config(null);
  withMf.metadata.managedFields = [];
  assert.throws(() => apply(undefined, withMf), is400);
  assert.throws(() => apply(undefined, withContainers({ image: 'no-name' })), is400);
  assert.throws(() => apply(undefined, withContainers({ name: 'a' }, { name: 'a' })), is400);
  assert.throws(() => apply(undefined, config(null), ''), is400);
  assert.throws(() => apply(undefined, { ...config(null), kind: undefined }), is400);
});
