// Bootstrap policy reconciliation: created when missing, missing rules and
// subjects added back, an administrator's additions kept, autoupdate=false
// respected, a changed roleRef recreated.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/object.js';
import { rbacDefinitions } from '../../api/rbac/index.js';
import { startTestApi } from '../../client/testing.js';
import { bootstrapPolicy, ensureBootstrapPolicy, reconcileBinding, reconcileClusterRole } from './reconcile.js';
import { AUTOUPDATE_ANNOTATION } from './policy-builders.js';

const G = { group: 'rbac.authorization.k8s.io', version: 'v1' };

test('the bootstrap policy holds the roles kube users expect, each binding naming a bootstrap role', () => {
  const { clusterRoles, clusterRoleBindings } = bootstrapPolicy();
  const names = new Set(clusterRoles.map((r) => r.metadata.name));
  for (const n of ['cluster-admin', 'admin', 'edit', 'view', 'system:discovery', 'system:basic-user', 'system:public-info-viewer', 'system:kube-scheduler', 'system:node', 'system:workplane:dp-server']) {
    assert.ok(names.has(n), n);
  }
  for (const b of clusterRoleBindings) assert.ok(names.has((b.roleRef as { name: string }).name), b.metadata.name);
  const admin = clusterRoleBindings.find((b) => b.metadata.name === 'cluster-admin')!;
  assert.deepEqual(admin.subjects, [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:masters' }]);
  const view = clusterRoles.find((r) => r.metadata.name === 'system:aggregate-to-view')!;
  const groups = new Set((view.rules as { apiGroups: string[] }[]).flatMap((r) => r.apiGroups));
  // Per resource, as kube: src/controlplane/default-roles-coverage.test.ts.
  for (const g of ['', 'kuma.io', 'compute.miloapis.com', 'networking.miloapis.com', 'resourcemanager.miloapis.com', 'scheduling.k8s.io', 'apps', 'batch', 'discovery.k8s.io']) {
    assert.ok(groups.has(g), `view covers ${g || 'core'}`);
  }
});

test('reconciling a role adds what is missing and keeps what an administrator added', () => {
  const want = bootstrapPolicy().clusterRoles.find((r) => r.metadata.name === 'system:discovery')!;
  const extra = { verbs: ['get'], nonResourceURLs: ['/custom'] };
  const existing: KObject = { ...want, metadata: { ...want.metadata, labels: { mine: 'yes' } }, rules: [extra] };
  const next = reconcileClusterRole(existing, want)!;
  assert.deepEqual((next.rules as unknown[])[0], extra);
  assert.equal((next.rules as unknown[]).length, 1 + (want.rules as unknown[]).length);
  assert.equal(next.metadata.labels!.mine, 'yes');
  assert.equal(reconcileClusterRole(next, want), undefined, 'idempotent');
  const optedOut = { ...existing, metadata: { ...existing.metadata, annotations: { [AUTOUPDATE_ANNOTATION]: 'false' } } };
  assert.equal(reconcileClusterRole(optedOut, want), undefined);
});

test('reconciling a binding adds missing subjects and recreates it for another roleRef', () => {
  const want = bootstrapPolicy().clusterRoleBindings.find((b) => b.metadata.name === 'system:basic-user')!;
  const mine = { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'jane' };
  const r = reconcileBinding({ ...want, subjects: [mine] }, want)!;
  assert.equal(r.recreate, false);
  assert.deepEqual(r.obj.subjects, [mine, ...(want.subjects as unknown[])]);
  const moved = reconcileBinding({ ...want, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' } }, want)!;
  assert.equal(moved.recreate, true);
});

test('ensureBootstrapPolicy creates everything once and repairs a changed object on the next start', async (t) => {
  const api = await startTestApi(rbacDefinitions);
  t.after(() => api.close());
  await ensureBootstrapPolicy(api.client);
  const roles = api.client.resource({ ...G, resource: 'clusterroles' });
  const bindings = api.client.resource({ ...G, resource: 'clusterrolebindings' });
  const count = (await roles.list()).items.length;
  assert.equal(count, bootstrapPolicy().clusterRoles.length);
  await roles.patch(undefined, 'system:basic-user', 'merge', { rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] });
  await roles.patch(undefined, 'system:discovery', 'merge', { metadata: { annotations: { [AUTOUPDATE_ANNOTATION]: 'false' } }, rules: [] });
  await bindings.delete(undefined, 'cluster-admin');
  await ensureBootstrapPolicy(api.client);
  const basic = (await roles.get(undefined, 'system:basic-user'))!;
  assert.equal((basic.rules as unknown[]).length, 3, 'the change kept, the bootstrap rules back');
  assert.deepEqual((await roles.get(undefined, 'system:discovery'))!.rules, [], 'opted out: left alone');
  assert.ok(await bindings.get(undefined, 'cluster-admin'), 'recreated');
  assert.equal((await roles.list()).items.length, count);
});
