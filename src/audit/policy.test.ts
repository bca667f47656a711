// The audit policy: first matching rule wins, kube's resource and URL
// matching, stages left out, and a policy file with every problem named.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluatePolicy, parsePolicy, type AuditAttributes } from './policy.js';

const user = { username: 'jane', groups: ['devs', 'system:authenticated'] };
const res = (verb: string, apiGroup: string, resource: string, extra: Partial<AuditAttributes> = {}): AuditAttributes => ({
  user,
  verb,
  resourceRequest: true,
  apiGroup,
  resource,
  namespace: 'demo',
  path: '/x',
  ...extra,
});

const policy = parsePolicy({
  apiVersion: 'audit.k8s.io/v1',
  kind: 'Policy',
  omitStages: ['RequestReceived'],
  rules: [
    { level: 'None', users: ['system:kube-proxy'] },
    { level: 'Metadata', resources: [{ group: '', resources: ['secrets', 'configmaps'] }] },
    { level: 'Request', resources: [{ group: '', resources: ['pods/log', 'pods/status'] }], omitStages: ['ResponseStarted'] },
    { level: 'RequestResponse', resources: [{ group: 'rbac.authorization.k8s.io' }] },
    { level: 'Request', resources: [{ group: 'kuma.io', resources: ['workloads/*'] }] },
    { level: 'None', nonResourceURLs: ['/healthz*', '/version'] },
    { level: 'Request', userGroups: ['devs'], namespaces: ['demo'] },
    { level: 'Metadata' },
  ],
});

test('the first matching rule decides the level', () => {
  assert.equal(evaluatePolicy(policy, res('get', '', 'secrets')).level, 'Metadata');
  assert.equal(evaluatePolicy(policy, res('get', '', 'pods', { subresource: 'log' })).level, 'Request');
  assert.equal(evaluatePolicy(policy, res('create', 'rbac.authorization.k8s.io', 'rolebindings')).level, 'RequestResponse');
  assert.equal(evaluatePolicy(policy, res('patch', 'kuma.io', 'workloads', { subresource: 'status' })).level, 'Request', 'resource/* matches subresources');
  assert.equal(evaluatePolicy(policy, res('get', '', 'pods')).level, 'Request', 'devs in demo');
  assert.equal(evaluatePolicy(policy, res('get', '', 'pods', { namespace: 'other' })).level, 'Metadata');
  assert.equal(evaluatePolicy(policy, { user, verb: 'get', resourceRequest: false, path: '/healthz/ready' }).level, 'None');
  assert.equal(evaluatePolicy(policy, { user, verb: 'get', resourceRequest: false, path: '/metrics' }).level, 'Metadata');
  assert.equal(evaluatePolicy(policy, res('get', '', 'pods', { user: { username: 'system:kube-proxy', groups: [] } })).level, 'None');
  assert.equal(evaluatePolicy({ rules: [] }, res('get', '', 'pods')).level, 'None', 'no rule, no event');
});

test('stages left out by the policy and by the rule add up', () => {
  assert.deepEqual([...evaluatePolicy(policy, res('get', '', 'pods', { subresource: 'log' })).omitStages].sort(), ['RequestReceived', 'ResponseStarted']);
});

test('a bad policy names every problem', () => {
  assert.throws(
    () => parsePolicy({ apiVersion: 'audit.k8s.io/v1beta1', kind: 'Policy', rules: [{ level: 'Everything' }, { level: 'None', omitStages: ['Sometime'] }] }),
    (e: Error) => {
      assert.match(e.message, /apiVersion: must be "audit.k8s.io\/v1"/);
      assert.match(e.message, /rules\[0\]\.level: Unsupported value: "Everything"/);
      assert.match(e.message, /rules\[1\]\.omitStages: Unsupported value: "Sometime"/);
      return true;
    },
  );
});
