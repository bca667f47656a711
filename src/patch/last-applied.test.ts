import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../api/errors.js';
import { LAST_APPLIED_ANNOTATION } from './last-applied.js';
import { updateManagedFields } from './managed-fields.js';
import { applyServerSide } from './server-side-apply.js';
import { deploymentSchema } from './test-schemas.js';

// Loosely typed on purpose: the tests poke into nested JSON.
type Json = Record<string, any>;

const T0 = '2024-05-01T10:00:00Z';
const T1 = '2024-05-01T11:00:00Z';
const config = (replicas: number, image: string): Json => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { replicas, template: { spec: { containers: [{ name: 'c', image }] } } },
});

/** An object as client-side `kubectl apply` leaves it: the annotation, and an Update entry owning everything. */
function clientSideApplied(applied: Json, live: Json = structuredClone(applied)): Json {
  live.metadata.annotations = { [LAST_APPLIED_ANNOTATION]: JSON.stringify(applied) + '\n' };
  live.metadata.managedFields = updateManagedFields({ old: undefined, updated: live, manager: 'kubectl-client-side-apply', schema: deploymentSchema, apiVersion: 'apps/v1', now: T0 });
  return live;
}

const ssa = (live: Json, applied: Json, manager = 'kubectl') =>
  applyServerSide({ live, applied, manager, force: false, schema: deploymentSchema, apiVersion: 'apps/v1', now: T1 }).object as Json;

const isConflict = (field: string) => (e: unknown) => e instanceof ApiError && e.code === 409 && e.details?.causes?.[0]?.field === field;

test('kubectl --server-side takes over what client-side apply last applied, without a conflict', () => {
  const live = clientSideApplied(config(2, 'nginx:1'));
  const out = ssa(live, config(3, 'nginx:2'));
  assert.equal(out.spec.replicas, 3);
  assert.equal(out.spec.template.spec.containers[0].image, 'nginx:2');
  const byManager = Object.fromEntries(out.metadata.managedFields.map((e: Json) => [e.manager, e.fieldsV1]));
  assert.deepEqual(byManager.kubectl['f:spec']['f:replicas'], {});
  assert.equal(byManager['kubectl-client-side-apply']['f:spec']['f:replicas'], undefined, 'ownership moved');
  assert.deepEqual(JSON.parse(out.metadata.annotations[LAST_APPLIED_ANNOTATION]), config(3, 'nginx:2'), 'the annotation follows the apply');
});

test('a field changed since the last client-side apply (kubectl scale) still conflicts; other managers get no allowance', () => {
  const scaled = clientSideApplied(config(2, 'nginx:1'));
  scaled.spec.replicas = 5;
  assert.throws(() => ssa(scaled, config(3, 'nginx:1')), isConflict('.spec.replicas'));
  assert.throws(() => ssa(clientSideApplied(config(2, 'nginx:1')), config(3, 'nginx:1'), 'argocd'), isConflict('.spec.replicas'));
});
