import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeDefinition, podDefinition, leaseDefinition } from '../api/core/index.js';
import type { ResourceDefinition } from '../api/definition.js';
import type { KObject } from '../api/object.js';
import type { AdmissionAttributes, Operation } from '../registry/admission.js';
import { forbiddenNodeLabels, nodeRestriction } from './node-restriction.js';

const plugin = nodeRestriction();
const n1 = { username: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] };
const obj = (name: string, extra: Partial<KObject> = {}): KObject => ({ apiVersion: 'v1', kind: 'X', metadata: { name }, ...extra });

function check(def: ResourceDefinition, operation: Operation, a: Partial<AdmissionAttributes>, user = n1, subresource?: string): string | undefined {
  try {
    plugin.validate!({ def, operation, name: '', ctx: { user, dryRun: false, subresource }, ...a });
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

test('a node creates and changes only its own Node, never its taints or restricted labels', () => {
  assert.equal(check(nodeDefinition, 'CREATE', { name: 'n1', obj: obj('n1', { metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1', zone: 'a' } } }) }), undefined);
  assert.equal(check(nodeDefinition, 'CREATE', { name: 'n2', obj: obj('n2') }), 'nodes "n2" is forbidden: node "n1" is not allowed to modify node "n2"');
  assert.match(check(nodeDefinition, 'CREATE', { name: 'n1', obj: obj('n1', { metadata: { name: 'n1', labels: { 'node-role.kubernetes.io/control-plane': '' } } }) })!, /not allowed to set the following labels: node-role\.kubernetes\.io\/control-plane/);
  const old = obj('n1', { spec: { taints: [{ key: 'a', effect: 'NoSchedule' }] }, metadata: { name: 'n1', labels: { 'node-restriction.kubernetes.io/pool': 'gold' } } });
  assert.match(check(nodeDefinition, 'UPDATE', { name: 'n1', old, obj: { ...old, spec: {} } })!, /node "n1" is not allowed to modify taints/);
  assert.match(check(nodeDefinition, 'UPDATE', { name: 'n1', old, obj: { ...old, metadata: { name: 'n1', labels: {} } } })!, /is not allowed to modify labels: node-restriction\.kubernetes\.io\/pool/);
  assert.equal(check(nodeDefinition, 'UPDATE', { name: 'n1', old, obj: { ...old, status: { phase: 'x' } } }), undefined);
  assert.equal(check(nodeDefinition, 'UPDATE', { name: 'n2', old, obj: old }, { username: 'admin', groups: ['system:masters'] }), undefined, 'others are not restricted');
});

test('kube\'s kubelet label set', () => {
  assert.deepEqual(forbiddenNodeLabels({ 'topology.kubernetes.io/zone': 'a', 'node.kubernetes.io/exclude-from-external-load-balancers': '', 'kubelet.kubernetes.io/x': '', 'example.com/x': '' }, {}), []);
  assert.deepEqual(forbiddenNodeLabels({ 'foo.k8s.io/x': '', 'a.node-restriction.kubernetes.io/b': '' }, {}), ['a.node-restriction.kubernetes.io/b', 'foo.k8s.io/x']);
});

test('a node writes the status of, and deletes, only the pods bound to it', () => {
  const mine = obj('p', { spec: { nodeName: 'n1' }, metadata: { name: 'p', labels: { a: 'b' } } });
  const theirs = obj('q', { spec: { nodeName: 'n2' } });
  assert.equal(check(podDefinition, 'UPDATE', { name: 'p', old: mine, obj: { ...mine, status: { phase: 'Running' } } }, n1, 'status'), undefined);
  assert.match(check(podDefinition, 'UPDATE', { name: 'q', old: theirs, obj: theirs }, n1, 'status')!, /node "n1" can only update pod status for pods with spec\.nodeName set to itself/);
  assert.match(check(podDefinition, 'UPDATE', { name: 'p', old: mine, obj: { ...mine, metadata: { name: 'p', labels: {} } } }, n1, 'status')!, /cannot update labels through pod status/);
  assert.equal(check(podDefinition, 'DELETE', { name: 'p', old: mine }), undefined);
  assert.match(check(podDefinition, 'DELETE', { name: 'q', old: theirs })!, /can only delete pods with spec\.nodeName set to itself/);
  assert.match(check(podDefinition, 'CREATE', { name: 'p', obj: mine })!, /can only create mirror pods/);
  assert.match(check(podDefinition, 'UPDATE', { name: 'p', old: mine, obj: mine })!, /can only create and delete mirror pods/);
});

test('a node touches only its own Lease in kube-node-lease', () => {
  assert.equal(check(leaseDefinition, 'UPDATE', { name: 'n1', namespace: 'kube-node-lease', obj: obj('n1'), old: obj('n1') }), undefined);
  assert.match(check(leaseDefinition, 'CREATE', { name: 'n2', namespace: 'kube-node-lease', obj: obj('n2') })!, /can only access node lease with the same name as the requesting node/);
  assert.match(check(leaseDefinition, 'UPDATE', { name: 'n1', namespace: 'default', obj: obj('n1') })!, /can only access leases in the "kube-node-lease" system namespace/);
});
