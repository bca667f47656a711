import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forbiddenError, requestAttributes } from './attributes.js';
import { UnionAuthorizer, alwaysAllow } from './union.js';
import { deny, noOpinion, type Authorizer } from './types.js';

const user = { username: 'system:serviceaccount:a:x', groups: [] };

test('forbidden messages read as kube-apiserver words them', () => {
  const list = requestAttributes(user, { kind: 'resource', group: '', version: 'v1', namespace: 'b', resource: 'secrets', verb: 'list' }, 'GET');
  assert.equal(forbiddenError(list).message, 'secrets is forbidden: User "system:serviceaccount:a:x" cannot list resource "secrets" in API group "" in the namespace "b"');
  const log = requestAttributes(user, { kind: 'resource', group: '', version: 'v1', namespace: 'b', resource: 'pods', name: 'p', subresource: 'log', verb: 'get' }, 'GET');
  assert.equal(forbiddenError(log).message, 'pods "p" is forbidden: User "system:serviceaccount:a:x" cannot get resource "pods/log" in API group "" in the namespace "b"');
  const node = requestAttributes(user, { kind: 'resource', group: 'kuma.io', version: 'v1alpha1', resource: 'meshes', name: 'default', verb: 'delete' }, 'DELETE');
  assert.equal(forbiddenError(node, 'no RBAC policy matched').message, 'meshes.kuma.io "default" is forbidden: User "system:serviceaccount:a:x" cannot delete resource "meshes" in API group "kuma.io" at the cluster scope: no RBAC policy matched');
  const path = requestAttributes(user, { kind: 'nonResource', path: '/metrics' }, 'GET');
  const e = forbiddenError(path);
  assert.equal(e.code, 403);
  assert.equal(e.message, 'forbidden: User "system:serviceaccount:a:x" cannot get path "/metrics"');
});

test('the union takes the first opinion and denies when there is none', () => {
  const silent: Authorizer = { authorize: () => noOpinion('not mine') };
  const attrs = requestAttributes(user, { kind: 'nonResource', path: '/x' }, 'GET');
  assert.equal(new UnionAuthorizer([silent, alwaysAllow]).authorize(attrs).decision, 'allow');
  assert.equal(new UnionAuthorizer([{ authorize: () => deny('no') }, alwaysAllow]).authorize(attrs).decision, 'deny');
  assert.deepEqual(new UnionAuthorizer([silent]).authorize(attrs), { decision: 'noOpinion', reason: 'not mine' });
});
