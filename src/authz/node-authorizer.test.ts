import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeAuthorizer } from './node-authorizer.js';
import type { AuthorizationAttributes } from './types.js';
import { requestAttributes } from './attributes.js';

const node = (name: string) => ({ username: `system:node:${name}`, groups: ['system:nodes', 'system:authenticated'] });
// n1 runs a pod that names secret s1, configmap c1 and service account sa1 in namespace ns.
const graph = {
  references: (n: string, kind: string, ns: string, name: string) =>
    n === 'n1' && ns === 'ns' && ((kind === 'secrets' && name === 's1') || (kind === 'configmaps' && name === 'c1') || (kind === 'serviceaccounts' && name === 'sa1')),
};
const authz = new NodeAuthorizer(graph);
const ask = (user: AuthorizationAttributes['user'], a: Partial<AuthorizationAttributes>) =>
  authz.authorize({ user, resourceRequest: true, apiGroup: '', verb: 'get', ...a }).decision;

test('no opinion on anyone but nodes; the API server\'s node client identity is refused outright', () => {
  assert.equal(ask({ username: 'admin', groups: ['system:masters'] }, { resource: 'secrets', namespace: 'ns', name: 's9' }), 'noOpinion');
  assert.equal(ask({ username: 'workplane:apiserver-kubelet-client', groups: [] }, { resource: 'pods', verb: 'list' }), 'deny');
  assert.equal(ask({ username: 'mallory', groups: ['system:nodes'] }, { resource: 'pods', verb: 'list' }), 'deny');
});

test('a node reads nodes and pods, writes only its own Node and Lease', () => {
  const n1 = node('n1');
  assert.equal(ask(n1, { resource: 'nodes', verb: 'list' }), 'allow');
  assert.equal(ask(n1, { resource: 'pods', verb: 'watch' }), 'allow');
  assert.equal(ask(n1, { resource: 'nodes', verb: 'create' }), 'allow');
  assert.equal(ask(n1, { resource: 'nodes', verb: 'patch', name: 'n1', subresource: 'status' }), 'allow');
  assert.equal(ask(n1, { resource: 'nodes', verb: 'patch', name: 'n2', subresource: 'status' }), 'deny');
  assert.equal(ask(n1, { resource: 'nodes', verb: 'delete', name: 'n2' }), 'deny');
  assert.equal(ask(n1, { apiGroup: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-node-lease', verb: 'update', name: 'n1' }), 'allow');
  assert.equal(ask(n1, { apiGroup: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-node-lease', verb: 'update', name: 'n2' }), 'deny');
  assert.equal(ask(n1, { apiGroup: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-system', verb: 'get', name: 'n1' }), 'deny');
  assert.equal(ask(n1, { resource: 'pods', verb: 'create', namespace: 'ns' }), 'deny');
  assert.equal(ask(n1, { resource: 'pods', verb: 'update', namespace: 'ns', name: 'p', subresource: 'status' }), 'allow');
  assert.equal(ask(n1, { resource: 'pods', verb: 'patch', namespace: 'ns', name: 'p' }), 'deny');
  assert.equal(ask(n1, { resource: 'pods', verb: 'get', namespace: 'ns', name: 'p', subresource: 'log' }), 'deny');
  assert.equal(ask(n1, { resource: 'namespaces', verb: 'create' }), 'deny');
  assert.equal(ask(n1, { apiGroup: 'certificates.k8s.io', resource: 'certificatesigningrequests', verb: 'update', name: 'x', subresource: 'approval' }), 'deny');
  assert.equal(ask(n1, { apiGroup: 'kuma.io', resource: 'meshes', verb: 'delete', name: 'default' }), 'deny');
});

test('a node reads only the Secrets, ConfigMaps and tokens its pods name', () => {
  const n1 = node('n1');
  assert.equal(ask(n1, { resource: 'secrets', namespace: 'ns', name: 's1' }), 'allow');
  assert.equal(ask(n1, { resource: 'secrets', namespace: 'ns', name: 's2' }), 'deny');
  assert.equal(ask(node('n2'), { resource: 'secrets', namespace: 'ns', name: 's1' }), 'deny');
  assert.equal(ask(n1, { resource: 'secrets', namespace: 'ns', verb: 'list' }), 'deny');
  assert.equal(ask(n1, { resource: 'configmaps', namespace: 'ns', name: 'c1', verb: 'watch' }), 'allow');
  assert.equal(ask(n1, { resource: 'configmaps', namespace: 'kuma-system', name: 'workplane-dp-server', verb: 'watch' }), 'allow');
  assert.equal(ask(n1, { resource: 'serviceaccounts', namespace: 'ns', name: 'sa1', verb: 'create', subresource: 'token' }), 'allow');
  assert.equal(ask(n1, { resource: 'serviceaccounts', namespace: 'ns', name: 'other', verb: 'create', subresource: 'token' }), 'deny');
  const denied = authz.authorize({ user: n1, resourceRequest: true, apiGroup: '', verb: 'get', resource: 'secrets', namespace: 'ns', name: 's2' });
  assert.equal(denied.reason, "no relationship found between node 'n1' and this object");
});

test('a list or watch narrowed by metadata.name is authorized as that name', () => {
  const info = { kind: 'resource' as const, group: '', version: 'v1', namespace: 'ns', resource: 'secrets', verb: 'watch' as const };
  const named = requestAttributes(node('n1'), info, 'GET', new URLSearchParams('watch=1&fieldSelector=metadata.name%3Ds1'));
  assert.equal(named.name, 's1');
  assert.equal(authz.authorize(named).decision, 'allow');
  assert.equal(requestAttributes(node('n1'), info, 'GET', new URLSearchParams('fieldSelector=metadata.name!%3Ds1')).name, undefined);
});
