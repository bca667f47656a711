// Impersonation: each requested identity part is authorized with the
// `impersonate` verb on its own resource, and the resulting user is
// completed as kube completes it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { UserInfo } from '../api/definition.js';
import { impersonate, wantsImpersonation } from './impersonation.js';
import { allow, noOpinion, type AuthorizationAttributes, type Authorizer } from './types.js';

const requestor: UserInfo = { username: 'jane', groups: ['system:authenticated'] };

/** Allows exactly the listed `resource[/sub]:name` impersonations and records every question. */
function allowing(...allowed: string[]): Authorizer & { asked: AuthorizationAttributes[] } {
  const asked: AuthorizationAttributes[] = [];
  return {
    asked,
    authorize(a) {
      asked.push(a);
      const key = `${a.resource}${a.subresource ? `/${a.subresource}` : ''}:${a.namespace ? `${a.namespace}/` : ''}${a.name}`;
      return a.verb === 'impersonate' && allowed.includes(key) ? allow() : noOpinion();
    },
  };
}

test('no headers: the requestor as is', () => {
  assert.equal(wantsImpersonation({ authorization: 'x' }), false);
  assert.equal(impersonate(requestor, {}, allowing()), requestor);
  assert.equal(wantsImpersonation({ 'impersonate-extra-scopes': 'a' }), true);
});

test('a user, with groups, extras and uid, each authorized separately', () => {
  const z = allowing('users:joe', 'groups:devs', 'userextras/scopes:view', 'uids:1234');
  const u = impersonate(requestor, { 'impersonate-user': ['joe'], 'impersonate-group': ['devs'], 'impersonate-extra-scopes': ['view'], 'impersonate-uid': ['1234'] }, z);
  assert.deepEqual(u, { username: 'joe', uid: '1234', groups: ['devs', 'system:authenticated'], extra: { scopes: ['view'] } });
  assert.deepEqual(
    z.asked.map((a) => [a.resource, a.subresource, a.name, a.apiGroup, a.user.username]),
    [
      ['users', undefined, 'joe', '', 'jane'],
      ['groups', undefined, 'devs', '', 'jane'],
      ['userextras', 'scopes', 'view', 'authentication.k8s.io', 'jane'],
      ['uids', undefined, '1234', 'authentication.k8s.io', 'jane'],
    ],
  );
});

test('a ServiceAccount is authorized as serviceaccounts in its namespace and gets its groups', () => {
  const u = impersonate(requestor, { 'impersonate-user': ['system:serviceaccount:demo:builder'] }, allowing('serviceaccounts:demo/builder'));
  assert.deepEqual(u.groups, ['system:serviceaccounts', 'system:serviceaccounts:demo', 'system:authenticated']);
  const withGroups = impersonate(requestor, { 'impersonate-user': ['system:serviceaccount:demo:builder'], 'impersonate-group': ['x'] }, allowing('serviceaccounts:demo/builder', 'groups:x'));
  assert.deepEqual(withGroups.groups, ['x', 'system:authenticated'], 'explicit groups replace the account groups');
});

test("kube's Forbidden message for a refused impersonation", () => {
  assert.throws(() => impersonate(requestor, { 'impersonate-user': ['joe'] }, allowing()), (e: { code: number; message: string }) => {
    assert.equal(e.code, 403);
    assert.equal(e.message, 'users "joe" is forbidden: User "jane" cannot impersonate resource "users" in API group "" at the cluster scope');
    return true;
  });
  assert.throws(() => impersonate(requestor, { 'impersonate-user': ['system:serviceaccount:demo:x'] }, allowing()), {
    message: 'serviceaccounts "x" is forbidden: User "jane" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "demo"',
  });
  assert.throws(() => impersonate(requestor, { 'impersonate-user': ['joe'], 'impersonate-group': ['system:masters'] }, allowing('users:joe')), {
    message: 'groups "system:masters" is forbidden: User "jane" cannot impersonate resource "groups" in API group "" at the cluster scope',
  });
});

test('groups, extras or a uid without a user are refused', () => {
  assert.throws(() => impersonate(requestor, { 'impersonate-group': ['devs'] }, allowing('groups:devs')), { code: 500, message: /without impersonating a user/ });
});

test('system:unauthenticated asked for keeps system:authenticated out; extra keys are unescaped', () => {
  const u = impersonate(requestor, { 'impersonate-user': ['joe'], 'impersonate-group': ['system:unauthenticated'], 'impersonate-extra-a%2Fb': ['v'] }, allowing('users:joe', 'groups:system:unauthenticated', 'userextras/a/b:v'));
  assert.deepEqual(u.groups, ['system:unauthenticated']);
  assert.deepEqual(u.extra, { 'a/b': ['v'] });
});
