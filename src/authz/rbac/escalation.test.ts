// Escalation prevention: covering rules, kube's message, and the admission
// plugin's escalate / bind exemptions.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/object.js';
import { clusterRoleBindingDefinition, clusterRoleDefinition, roleBindingDefinition, roleDefinition } from '../../api/rbac/index.js';
import type { ResourceDefinition, UserInfo } from '../../api/definition.js';
import type { AdmissionAttributes } from '../../registry/admission.js';
import { createAuthorizer } from '../create-authorizer.js';
import { covers } from './covers.js';
import { escalationAdmission, escalationMessage } from './escalation.js';
import { RbacIndex } from './rbac-index.js';
import { RbacAuthorizer } from './rbac-authorizer.js';

const G = 'rbac.authorization.k8s.io';

test('covers: wildcards, subresources, names and URLs as kube compares them', () => {
  const owner = [
    { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', '*/status'] },
    { verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] },
    { verbs: ['get'], nonResourceURLs: ['/healthz*'] },
  ];
  assert.ok(covers(owner, [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]).covered);
  assert.ok(covers(owner, [{ verbs: ['list'], apiGroups: [''], resources: ['pods/status'] }]).covered, '*/status');
  assert.ok(!covers(owner, [{ verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }]).covered);
  assert.ok(covers(owner, [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }]).covered);
  assert.ok(!covers(owner, [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }]).covered, 'a named grant does not cover all names');
  assert.ok(covers(owner, [{ verbs: ['get'], nonResourceURLs: ['/healthz/ping'] }]).covered);
  assert.ok(covers([{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], [{ verbs: ['delete'], apiGroups: ['kuma.io'], resources: ['meshes/status'] }]).covered);
  const { missing } = covers(owner, [{ verbs: ['get', 'delete'], apiGroups: ['', 'apps'], resources: ['pods'] }]);
  assert.equal(missing.length, 3);
});

test("the escalation message is kube's, with missing rules compacted and sorted", () => {
  const user: UserInfo = { username: 'jane', groups: ['devs', 'system:authenticated'] };
  const msg = escalationMessage(user, [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], [
    { verbs: ['get', 'list', 'delete'], apiGroups: [''], resources: ['pods'] },
    { verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['s'] },
  ]);
  assert.equal(
    msg,
    'user "jane" (groups=["devs" "system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n' +
      '{APIGroups:[""], Resources:["pods"], Verbs:["list" "delete"]}\n' +
      '{APIGroups:[""], Resources:["secrets"], ResourceNames:["s"], Verbs:["get"]}',
  );
  assert.equal(escalationMessage(user, [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]), undefined);
});

function world() {
  const index = new RbacIndex();
  const authorizer = createAuthorizer({ mode: 'RBAC', rbac: new RbacAuthorizer(index) });
  const plugin = escalationAdmission({ authorizer, index });
  const put = (kind: 'Role' | 'ClusterRole' | 'RoleBinding' | 'ClusterRoleBinding', o: Omit<KObject, 'apiVersion' | 'kind'>) =>
    index.upsert(kind, { apiVersion: `${G}/v1`, kind, ...o } as KObject);
  const write = (def: ResourceDefinition, user: UserInfo, obj: KObject, old?: KObject) => {
    const a: AdmissionAttributes = { operation: old ? 'UPDATE' : 'CREATE', def, namespace: obj.metadata.namespace, name: obj.metadata.name!, obj, old, ctx: { user, dryRun: false } };
    return plugin.validate!(a);
  };
  return { index, put, write };
}

const jane: UserInfo = { username: 'jane', groups: ['system:authenticated'] };

test('a role may hold only permissions its author holds, unless the author may escalate', () => {
  const { put, write } = world();
  put('ClusterRole', { metadata: { name: 'pod-reader' }, rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }] });
  put('RoleBinding', { metadata: { name: 'r', namespace: 'a' }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'pod-reader' }, subjects: [{ kind: 'User', name: 'jane' }] });
  const narrow: KObject = { apiVersion: `${G}/v1`, kind: 'Role', metadata: { name: 'x', namespace: 'a' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] };
  assert.doesNotThrow(() => write(roleDefinition, jane, narrow));
  const wide: KObject = { ...narrow, rules: [{ verbs: ['delete'], apiGroups: [''], resources: ['pods'] }] };
  assert.throws(() => write(roleDefinition, jane, wide), (e: { code: number; message: string }) => {
    assert.equal(e.code, 403);
    assert.equal(
      e.message,
      'roles.rbac.authorization.k8s.io "x" is forbidden: user "jane" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}',
    );
    return true;
  });
  assert.throws(() => write(roleDefinition, jane, { ...narrow, metadata: { name: 'x', namespace: 'b' } }), { code: 403 }, 'the grant is in namespace a only');
  assert.doesNotThrow(() => write(roleDefinition, { username: 'root', groups: ['system:masters'] }, wide), 'system:masters bypasses');
  put('ClusterRole', { metadata: { name: 'escalator' }, rules: [{ verbs: ['escalate'], apiGroups: [G], resources: ['roles'] }] });
  put('RoleBinding', { metadata: { name: 'e', namespace: 'a' }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'escalator' }, subjects: [{ kind: 'User', name: 'jane' }] });
  assert.doesNotThrow(() => write(roleDefinition, jane, wide), 'escalate on roles');
  const cr: KObject = { apiVersion: `${G}/v1`, kind: 'ClusterRole', metadata: { name: 'agg' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { x: 'y' } }] } };
  assert.throws(() => write(clusterRoleDefinition, jane, cr), /must have cluster-admin privileges to use an aggregationRule/);
});

test('a binding needs the role permissions or bind on the role', () => {
  const { put, write } = world();
  put('ClusterRole', { metadata: { name: 'admin-ish' }, rules: [{ verbs: ['*'], apiGroups: [''], resources: ['secrets'] }] });
  put('ClusterRole', { metadata: { name: 'pod-reader' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] });
  put('RoleBinding', { metadata: { name: 'r', namespace: 'a' }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'pod-reader' }, subjects: [{ kind: 'User', name: 'jane' }] });
  const rb = (roleName: string): KObject => ({
    apiVersion: `${G}/v1`,
    kind: 'RoleBinding',
    metadata: { name: 'grant', namespace: 'a' },
    roleRef: { apiGroup: G, kind: 'ClusterRole', name: roleName },
    subjects: [{ kind: 'User', apiGroup: G, name: 'joe' }],
  });
  assert.doesNotThrow(() => write(roleBindingDefinition, jane, rb('pod-reader')), 'holds every permission');
  assert.throws(() => write(roleBindingDefinition, jane, rb('admin-ish')), /rolebindings.rbac.authorization.k8s.io "grant" is forbidden: user "jane" .* not currently held:\n\{APIGroups:\[""\], Resources:\["secrets"\], Verbs:\["\*"\]\}/);
  assert.throws(() => write(roleBindingDefinition, jane, rb('missing')), { code: 404, message: 'clusterroles.rbac.authorization.k8s.io "missing" not found' });
  put('ClusterRole', { metadata: { name: 'binder' }, rules: [{ verbs: ['bind'], apiGroups: [G], resources: ['clusterroles'], resourceNames: ['admin-ish'] }] });
  put('RoleBinding', { metadata: { name: 'b', namespace: 'a' }, roleRef: { apiGroup: G, kind: 'ClusterRole', name: 'binder' }, subjects: [{ kind: 'User', name: 'jane' }] });
  assert.doesNotThrow(() => write(roleBindingDefinition, jane, rb('admin-ish')), 'bind on that role');
  const crb: KObject = { ...rb('admin-ish'), kind: 'ClusterRoleBinding', metadata: { name: 'grant' } };
  assert.throws(() => write(clusterRoleBindingDefinition, jane, crb), { code: 403 }, 'bind was granted in namespace a only');
});
