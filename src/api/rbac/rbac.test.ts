// RBAC kinds: schemas fully described, kube's validation messages, subject
// defaulting, and the immutable roleRef.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../object.js';
import { missingDescriptions } from '../testing/missing-descriptions.js';
import { fieldErrorBody } from '../errors.js';
import { clusterRoleBindingDefinition, clusterRoleDefinition, rbacDefinitions, roleBindingDefinition, roleDefinition } from './index.js';

const ctx = { user: { username: 'u', groups: [] }, dryRun: false };
const msgs = (errs: { field: string }[]) => errs.map((e) => `${e.field}: ${fieldErrorBody(e as never)}`);

test('every property is described', () => {
  for (const d of rbacDefinitions) assert.deepEqual(missingDescriptions(d.schema, d.kind, []), [], d.kind);
});

test("role rules are validated with kube's words", () => {
  const role: KObject = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'r', namespace: 'a' },
    rules: [{ verbs: [], resources: ['pods'] }, { verbs: ['get'], nonResourceURLs: ['/x'] }],
  };
  assert.deepEqual(msgs(roleDefinition.strategy!.validate!(role, ctx)), [
    'rules[0].verbs: Required value: verbs must contain at least one value',
    'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
    'rules[1].nonResourceURLs: Invalid value: ["/x"]: namespaced rules cannot apply to non-resource URLs',
  ]);
  const cr: KObject = { ...role, kind: 'ClusterRole', rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], nonResourceURLs: ['/x'] }], aggregationRule: {} };
  assert.deepEqual(msgs(clusterRoleDefinition.strategy!.validate!(cr, ctx)), [
    'rules[0].nonResourceURLs: Invalid value: ["/x"]: rules cannot apply to both regular resources and non-resource URLs',
    'aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil',
  ]);
});

test('bindings: subjects and roleRef checked, users and groups defaulted to the RBAC group, roleRef immutable', () => {
  const rb: KObject = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'b', namespace: 'a' },
    roleRef: { kind: 'Role', name: 'r' },
    subjects: [{ kind: 'User', name: 'jane' }, { kind: 'ServiceAccount', name: 'Bad_Name' }, { kind: 'Robot', name: 'r2' }, { kind: 'Group', apiGroup: 'x', name: 'g' }],
  };
  roleBindingDefinition.strategy!.prepareForCreate!(rb, ctx);
  assert.equal((rb.roleRef as { apiGroup: string }).apiGroup, 'rbac.authorization.k8s.io');
  assert.equal((rb.subjects as { apiGroup?: string }[])[0].apiGroup, 'rbac.authorization.k8s.io');
  const out = msgs(roleBindingDefinition.strategy!.validate!(rb, ctx));
  assert.match(out[0], /^subjects\[1\]\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
  assert.deepEqual(out.slice(1), [
    'subjects[2].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    'subjects[3].apiGroup: Unsupported value: "x": supported values: "rbac.authorization.k8s.io"',
  ]);
  const crb: KObject = { ...rb, kind: 'ClusterRoleBinding', metadata: { name: 'b' }, subjects: [{ kind: 'ServiceAccount', name: 'sa' }] };
  assert.deepEqual(msgs(clusterRoleBindingDefinition.strategy!.validate!(crb, ctx)), [
    'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
    'subjects[0].namespace: Required value',
  ]);
  const changed = { ...rb, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r' }, subjects: [] };
  assert.deepEqual(msgs(roleBindingDefinition.strategy!.validateUpdate!(changed, rb, ctx)), [
    'roleRef: Invalid value: {"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"r"}: cannot change roleRef',
  ]);
});
