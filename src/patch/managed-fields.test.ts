import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ManagedFieldsEntry } from '../api/object.js';
import { MAX_UPDATE_MANAGERS, updateManagedFields } from './managed-fields.js';
import { deploymentSchema } from './test-schemas.js';

const T0 = '2024-05-01T10:00:00Z';
const T1 = '2024-05-01T11:00:00Z';

const created = (): { apiVersion: string; kind: string; metadata: { name: string; namespace: string; uid: string; labels: Record<string, string> }; spec: { replicas: number; paused: boolean } } => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', uid: 'u', labels: { app: 'web' } },
  spec: { replicas: 1, paused: false },
});

type Obj = ReturnType<typeof created> & { metadata: { managedFields?: ManagedFieldsEntry[] } };

const update = (old: object | undefined, updated: object, manager: string, now: string, subresource?: string) =>
  updateManagedFields({ old, updated, manager, subresource, schema: deploymentSchema, apiVersion: 'apps/v1', now });

function withFields(o: object, mf: ManagedFieldsEntry[]): Obj {
  const c = structuredClone(o) as Obj;
  c.metadata.managedFields = mf;
  return c;
}

test('create: the creator owns every field it set, new maps included', () => {
  const mf = update(undefined, created(), 'kubectl-create', T0);
  assert.deepEqual(mf, [
    {
      manager: 'kubectl-create',
      operation: 'Update',
      apiVersion: 'apps/v1',
      time: T0,
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
        'f:spec': { '.': {}, 'f:paused': {}, 'f:replicas': {} },
      },
    },
  ]);
});

test('update: changed fields move to the writer; others keep the rest', () => {
  const v1 = withFields(created(), update(undefined, created(), 'kubectl-create', T0));
  const v2 = structuredClone(v1);
  v2.spec.replicas = 5;
  const mf = update(v1, v2, 'kubectl-edit', T1);
  assert.equal(mf.length, 2);
  assert.deepEqual(mf[0].fieldsV1, { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { '.': {}, 'f:paused': {} } });
  assert.equal(mf[0].time, T0, 'untouched manager keeps its time');
  assert.deepEqual(mf[1], {
    manager: 'kubectl-edit',
    operation: 'Update',
    apiVersion: 'apps/v1',
    time: T1,
    fieldsType: 'FieldsV1',
    fieldsV1: { 'f:spec': { 'f:replicas': {} } },
  });
});

test('update: removed fields leave every set; empty managers are dropped', () => {
  const v1 = withFields(created(), update(undefined, created(), 'creator', T0));
  const v2 = structuredClone(v1);
  v2.metadata.labels = { app: 'web', extra: 'x' };
  const v2f = withFields(v2, update(v1, v2, 'labeler', T1));
  const v3 = structuredClone(v2f);
  v3.metadata.labels = { app: 'web' };
  const mf = update(v2f, v3, 'creator', T1);
  assert.deepEqual(
    mf.map((e) => e.manager),
    ['creator'],
  );
});

test('update: a write that changes nothing leaves managedFields as they were', () => {
  const v1 = withFields(created(), update(undefined, created(), 'creator', T0));
  const mf = update(v1, structuredClone(v1), 'someone-else', T1);
  assert.deepEqual(mf, v1.metadata.managedFields);
});

test('update: subresource writes get their own entry', () => {
  const v1 = withFields(created(), update(undefined, created(), 'creator', T0));
  const v2 = structuredClone(v1) as Obj & { status?: unknown };
  v2.status = { replicas: 1 };
  const mf = update(v1, v2, 'controller', T1, 'status');
  const status = mf.find((e) => e.subresource === 'status');
  assert.deepEqual(status?.fieldsV1, { 'f:status': { '.': {}, 'f:replicas': {} } });
  assert.equal(status?.manager, 'controller');
});

test('update: managedFields sent by the client replace the stored ones; [{}] clears them', () => {
  const v1 = withFields(created(), update(undefined, created(), 'creator', T0));
  const cleared = withFields(v1, [{} as ManagedFieldsEntry]);
  assert.deepEqual(update(v1, cleared, 'kubectl-edit', T1), []);
  const emptyList = withFields(v1, []);
  assert.deepEqual(update(v1, emptyList, 'kubectl-edit', T1), v1.metadata.managedFields, 'an empty list keeps the stored entries');
});

test('update: more than the cap of update managers folds the oldest into ancient-changes', () => {
  let cur = withFields(created(), update(undefined, created(), 'creator', T0));
  for (let i = 0; i < MAX_UPDATE_MANAGERS + 2; i++) {
    const next = structuredClone(cur) as Obj;
    next.metadata.labels = { ...next.metadata.labels, [`k${i}`]: 'v' };
    next.metadata.managedFields = update(cur, next, `m${i}`, `2024-05-01T12:00:${String(i).padStart(2, '0')}Z`);
    cur = next;
  }
  const mf = cur.metadata.managedFields!;
  assert.equal(mf.length, MAX_UPDATE_MANAGERS);
  assert.ok(mf.some((e) => e.manager === 'ancient-changes'));
  assert.ok(!mf.some((e) => e.manager === 'creator'));
});
