// A table of rule/request cases in the manner of kube's rbac authorizer tests.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PolicyRule } from '../../api/rbac/policy-rule.js';
import type { AuthorizationAttributes } from '../types.js';
import { compileRule, ruleAllows } from './rule-matching.js';

const user = { username: 'u', groups: [] };
const res = (verb: string, group: string, resource: string, extra: Partial<AuthorizationAttributes> = {}): AuthorizationAttributes => ({
  user,
  verb,
  resourceRequest: true,
  apiGroup: group,
  resource,
  namespace: 'ns',
  ...extra,
});
const url = (verb: string, path: string): AuthorizationAttributes => ({ user, verb, resourceRequest: false, path });

const cases: { name: string; rule: PolicyRule; attrs: AuthorizationAttributes; allowed: boolean }[] = [
  { name: 'exact verb, group, resource', rule: { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, attrs: res('get', '', 'pods'), allowed: true },
  { name: 'other verb', rule: { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, attrs: res('list', '', 'pods'), allowed: false },
  { name: 'verb *', rule: { verbs: ['*'], apiGroups: [''], resources: ['pods'] }, attrs: res('deletecollection', '', 'pods'), allowed: true },
  { name: 'a request for verb * needs rule verb *', rule: { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, attrs: res('*', '', 'pods'), allowed: false },
  { name: 'other group', rule: { verbs: ['get'], apiGroups: [''], resources: ['workloads'] }, attrs: res('get', 'kuma.io', 'workloads'), allowed: false },
  { name: 'group *', rule: { verbs: ['get'], apiGroups: ['*'], resources: ['workloads'] }, attrs: res('get', 'compute.miloapis.com', 'workloads'), allowed: true },
  { name: 'no groups: never a resource match', rule: { verbs: ['get'], resources: ['pods'] }, attrs: res('get', '', 'pods'), allowed: false },
  { name: 'resource *', rule: { verbs: ['get'], apiGroups: [''], resources: ['*'] }, attrs: res('get', '', 'secrets'), allowed: true },
  { name: 'resource * covers subresources', rule: { verbs: ['get'], apiGroups: [''], resources: ['*'] }, attrs: res('get', '', 'pods', { subresource: 'log' }), allowed: true },
  { name: 'pods does not cover pods/log', rule: { verbs: ['get'], apiGroups: [''], resources: ['pods'] }, attrs: res('get', '', 'pods', { subresource: 'log' }), allowed: false },
  { name: 'pods/log allows pods/log', rule: { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }, attrs: res('get', '', 'pods', { subresource: 'log', name: 'p' }), allowed: true },
  { name: 'pods/log does not allow pods', rule: { verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }, attrs: res('get', '', 'pods', { name: 'p' }), allowed: false },
  { name: '*/scale allows any scale', rule: { verbs: ['update'], apiGroups: ['*'], resources: ['*/scale'] }, attrs: res('update', 'compute.miloapis.com', 'workloads', { subresource: 'scale' }), allowed: true },
  { name: '*/scale is not */status', rule: { verbs: ['update'], apiGroups: ['*'], resources: ['*/scale'] }, attrs: res('update', 'kuma.io', 'workloads', { subresource: 'status' }), allowed: false },
  { name: '*/scale is not the main resource', rule: { verbs: ['update'], apiGroups: ['*'], resources: ['*/scale'] }, attrs: res('update', 'kuma.io', 'workloads'), allowed: false },
  // As in kube, `pods/*` is no wildcard: it names a subresource called "*".
  { name: 'pods/* does not match pods/log (kube)', rule: { verbs: ['get'], apiGroups: [''], resources: ['pods/*'] }, attrs: res('get', '', 'pods', { subresource: 'log' }), allowed: false },
  { name: 'resourceNames match the name', rule: { verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }, attrs: res('get', '', 'secrets', { name: 'a' }), allowed: true },
  { name: 'resourceNames refuse other names', rule: { verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }, attrs: res('get', '', 'secrets', { name: 'b' }), allowed: false },
  { name: 'resourceNames never allow list', rule: { verbs: ['list'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }, attrs: res('list', '', 'secrets'), allowed: false },
  { name: 'resourceNames never allow create without a name', rule: { verbs: ['create'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }, attrs: res('create', '', 'secrets'), allowed: false },
  { name: 'url exact', rule: { verbs: ['get'], nonResourceURLs: ['/healthz'] }, attrs: url('get', '/healthz'), allowed: true },
  { name: 'url exact, other path', rule: { verbs: ['get'], nonResourceURLs: ['/healthz'] }, attrs: url('get', '/healthz/ping'), allowed: false },
  { name: 'url prefix*', rule: { verbs: ['get'], nonResourceURLs: ['/healthz*'] }, attrs: url('get', '/healthz/ping'), allowed: true },
  { name: 'url /apis/*', rule: { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, attrs: url('get', '/apis/kuma.io/v1alpha1'), allowed: true },
  { name: 'url /apis/* is not /apis', rule: { verbs: ['get'], nonResourceURLs: ['/apis/*'] }, attrs: url('get', '/apis'), allowed: false },
  { name: 'url *', rule: { verbs: ['get'], nonResourceURLs: ['*'] }, attrs: url('get', '/metrics'), allowed: true },
  { name: 'url verb', rule: { verbs: ['get'], nonResourceURLs: ['*'] }, attrs: url('post', '/metrics'), allowed: false },
  { name: 'url rules never allow resources', rule: { verbs: ['*'], nonResourceURLs: ['*'] }, attrs: res('get', '', 'pods'), allowed: false },
  { name: 'resource rules never allow urls', rule: { verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, attrs: url('get', '/metrics'), allowed: false },
];

for (const c of cases) {
  test(`rule matching: ${c.name}`, () => {
    assert.equal(ruleAllows(c.attrs, compileRule(c.rule)), c.allowed);
  });
}
