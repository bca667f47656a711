// The RBAC authorizer over its index: who a binding grants to, where a
// RoleBinding's grant applies, ServiceAccount namespaces, and index upkeep.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/object.js';
import type { AuthorizationAttributes } from '../types.js';
import { RbacIndex } from './rbac-index.js';
import { RbacAuthorizer } from './rbac-authorizer.js';

const G = 'rbac.authorization.k8s.io';
const clusterRole = (name: string, rules: unknown[]): KObject => ({ apiVersion: `${G}/v1`, kind: 'ClusterRole', metadata: { name }, rules });
const role = (ns: string, name: string, rules: unknown[]): KObject => ({ apiVersion: `${G}/v1`, kind: 'Role', metadata: { name, namespace: ns }, rules });
const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', ns: string | undefined, name: string, roleRef: { kind: string; name: string }, subjects: unknown[]): KObject => ({
  apiVersion: `${G}/v1`,
  kind,
  metadata: { name, ...(ns ? { namespace: ns } : {}) },
  roleRef: { apiGroup: G, ...roleRef },
  subjects,
});
const podReader = [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }];
const sa = (ns: string, name: string) => ({ username: `system:serviceaccount:${ns}:${name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'] });
const listPods = (user: { username: string; groups: string[] }, namespace?: string): AuthorizationAttributes => ({ user, verb: 'list', resourceRequest: true, apiGroup: '', resource: 'pods', namespace });

function setup() {
  const index = new RbacIndex();
  return { index, authz: new RbacAuthorizer(index) };
}

test('a RoleBinding to a ClusterRole grants it in the binding namespace only', () => {
  const { index, authz } = setup();
  index.upsert('ClusterRole', clusterRole('pod-reader', podReader));
  index.upsert('RoleBinding', binding('RoleBinding', 'a', 'rb', { kind: 'ClusterRole', name: 'pod-reader' }, [{ kind: 'User', apiGroup: G, name: 'jane' }]));
  const jane = { username: 'jane', groups: ['system:authenticated'] };
  const r = authz.authorize(listPods(jane, 'a'));
  assert.equal(r.decision, 'allow');
  assert.equal(r.reason, 'RBAC: allowed by RoleBinding "rb/a" of ClusterRole "pod-reader" to User "jane"');
  assert.equal(authz.authorize(listPods(jane, 'b')).decision, 'noOpinion');
  assert.equal(authz.authorize(listPods(jane)).decision, 'noOpinion', 'not cluster-wide');
});

test('a ClusterRoleBinding grants everywhere, by group', () => {
  const { index, authz } = setup();
  index.upsert('ClusterRole', clusterRole('pod-reader', podReader));
  index.upsert('ClusterRoleBinding', binding('ClusterRoleBinding', undefined, 'crb', { kind: 'ClusterRole', name: 'pod-reader' }, [{ kind: 'Group', apiGroup: G, name: 'readers' }]));
  assert.equal(authz.authorize(listPods({ username: 'x', groups: ['readers'] }, 'any')).decision, 'allow');
  assert.equal(authz.authorize(listPods({ username: 'x', groups: ['readers'] })).decision, 'allow');
  assert.equal(authz.authorize(listPods({ username: 'readers', groups: [] }, 'any')).decision, 'noOpinion', 'a user named like the group is not in it');
});

test('ServiceAccount subjects default to the binding namespace', () => {
  const { index, authz } = setup();
  index.upsert('Role', role('a', 'reader', podReader));
  index.upsert('RoleBinding', binding('RoleBinding', 'a', 'rb', { kind: 'Role', name: 'reader' }, [{ kind: 'ServiceAccount', name: 'builder' }]));
  assert.equal(authz.authorize(listPods(sa('a', 'builder'), 'a')).decision, 'allow');
  assert.equal(authz.authorize(listPods(sa('b', 'builder'), 'a')).decision, 'noOpinion');
  // A ServiceAccount of another namespace named explicitly.
  index.upsert('RoleBinding', binding('RoleBinding', 'a', 'rb2', { kind: 'Role', name: 'reader' }, [{ kind: 'ServiceAccount', name: 'ci', namespace: 'tools' }]));
  assert.equal(authz.authorize(listPods(sa('tools', 'ci'), 'a')).decision, 'allow');
});

test('a binding to a Role of another namespace grants nothing; a missing role grants nothing', () => {
  const { index, authz } = setup();
  index.upsert('Role', role('b', 'reader', podReader));
  index.upsert('RoleBinding', binding('RoleBinding', 'a', 'rb', { kind: 'Role', name: 'reader' }, [{ kind: 'User', name: 'jane' }]));
  assert.equal(authz.authorize(listPods({ username: 'jane', groups: [] }, 'a')).decision, 'noOpinion');
  assert.equal(authz.authorize(listPods({ username: 'jane', groups: [] }, 'b')).decision, 'noOpinion');
});

test('role, binding and subject changes apply at once; deletions remove grants', () => {
  const { index, authz } = setup();
  const jane = { username: 'jane', groups: [] };
  index.upsert('Role', role('a', 'reader', [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]));
  const rb = binding('RoleBinding', 'a', 'rb', { kind: 'Role', name: 'reader' }, [{ kind: 'User', name: 'jane' }]);
  index.upsert('RoleBinding', rb);
  assert.equal(authz.authorize(listPods(jane, 'a')).decision, 'noOpinion', 'get only');
  index.upsert('Role', role('a', 'reader', podReader));
  assert.equal(authz.authorize(listPods(jane, 'a')).decision, 'allow');
  index.upsert('RoleBinding', { ...rb, subjects: [{ kind: 'User', name: 'joe' }] });
  assert.equal(authz.authorize(listPods(jane, 'a')).decision, 'noOpinion');
  assert.equal(authz.authorize(listPods({ username: 'joe', groups: [] }, 'a')).decision, 'allow');
  index.remove('RoleBinding', rb);
  assert.equal(authz.authorize(listPods({ username: 'joe', groups: [] }, 'a')).decision, 'noOpinion');
  index.upsert('RoleBinding', rb);
  index.remove('Role', role('a', 'reader', []));
  assert.equal(authz.authorize(listPods(jane, 'a')).decision, 'noOpinion');
});

test('rulesFor lists cluster grants then namespace grants, split by kind', () => {
  const { index, authz } = setup();
  index.upsert('ClusterRole', clusterRole('disco', [{ verbs: ['get'], nonResourceURLs: ['/api', '/api/*'] }]));
  index.upsert('ClusterRoleBinding', binding('ClusterRoleBinding', undefined, 'd', { kind: 'ClusterRole', name: 'disco' }, [{ kind: 'Group', name: 'system:authenticated' }]));
  index.upsert('Role', role('a', 'reader', [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['s'] }]));
  index.upsert('RoleBinding', binding('RoleBinding', 'a', 'rb', { kind: 'Role', name: 'reader' }, [{ kind: 'User', name: 'jane' }]));
  const rules = authz.rulesFor({ username: 'jane', groups: ['system:authenticated'] }, 'a');
  assert.deepEqual(rules, {
    resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['s'] }],
    nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/api', '/api/*'] }],
    incomplete: false,
  });
  assert.deepEqual(authz.rulesFor({ username: 'jane', groups: [] }, 'b').resourceRules, []);
});
