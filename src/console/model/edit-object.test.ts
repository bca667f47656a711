import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../../api/object.js';
import { ApiResources } from './discovery.js';
import { applyDocument, EditError, parseEdited, targetOf, toEditableYaml } from './edit-object.js';

const resources = new ApiResources([
  { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true, verbs: ['get', 'list', 'watch'], shortNames: [] },
  { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false, verbs: ['get'], shortNames: [] },
  { group: 'compute.miloapis.com', version: 'v1alpha1', resource: 'workloads', kind: 'Workload', namespaced: true, verbs: ['get'], shortNames: [] },
  { group: 'kuma.io', version: 'v1alpha1', resource: 'workloads', kind: 'Workload', namespaced: true, verbs: ['get'], shortNames: [] },
]);

const stored: KObject = {
  status: { replicas: 3 },
  apiVersion: 'compute.miloapis.com/v1alpha1',
  kind: 'Workload',
  metadata: { name: 'web', namespace: 'p', uid: 'u1', resourceVersion: '7', generation: 2, creationTimestamp: '2026-01-01T00:00:00Z', labels: { b: '1', a: '2' }, managedFields: [] },
  spec: { replicas: 3 },
};

describe('editing objects as YAML', () => {
  it('shows keys sorted as kubectl does (spec before status), without managedFields', () => {
    const y = toEditableYaml(stored);
    assert.ok(y.indexOf('spec:') < y.indexOf('status:'), y);
    assert.ok(y.startsWith('apiVersion: compute.miloapis.com/v1alpha1\nkind: Workload\nmetadata:'), y);
    assert.doesNotMatch(y, /managedFields/);
    assert.deepEqual(parseEdited(y).metadata.labels, { a: '2', b: '1' });
    assert.ok(stored.metadata.managedFields, 'the loaded object itself is left alone');
  });

  it('refuses documents that are not one object with apiVersion, kind and name', () => {
    assert.throws(() => parseEdited('a: [1'), (e: Error) => e instanceof EditError && /^YAML: /.test(e.message));
    assert.throws(() => parseEdited('- 1\n- 2'), /single YAML mapping/);
    assert.throws(() => parseEdited('kind: X\nmetadata: {name: a}'), /apiVersion is required/);
    assert.throws(() => parseEdited('apiVersion: v1\nmetadata: {name: a}'), /kind is required/);
    assert.throws(() => parseEdited('apiVersion: v1\nkind: ConfigMap\nmetadata: {}'), /metadata.name is required/);
    assert.throws(() => parseEdited('apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: {name: a}'), /YAML: Map keys must be unique at line 3/);
  });

  it('finds the URL from apiVersion and kind: the group decides which Workload', () => {
    assert.equal(targetOf(stored, resources).path, '/apis/compute.miloapis.com/v1alpha1/namespaces/p/workloads/web');
    assert.equal(targetOf({ ...stored, apiVersion: 'kuma.io/v1alpha1' }, resources).path, '/apis/kuma.io/v1alpha1/namespaces/p/workloads/web');
    assert.equal(targetOf({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n 1' } }, resources).path, '/api/v1/nodes/n%201');
    assert.equal(targetOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, resources, 'dflt').path, '/api/v1/namespaces/dflt/configmaps/c');
    assert.throws(() => targetOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, resources), /namespaced: set metadata.namespace/);
    assert.throws(() => targetOf({ apiVersion: 'nope/v1', kind: 'Thing', metadata: { name: 'c' } }, resources), /does not serve Thing in nope\/v1/);
  });

  it('a server-side apply declares only what the user owns: no status, no server-set metadata', () => {
    const doc = parseEdited(applyDocument(stored));
    assert.equal(doc.status, undefined);
    assert.deepEqual(doc.metadata, { name: 'web', namespace: 'p', labels: { b: '1', a: '2' } });
    assert.deepEqual(doc.spec, { replicas: 3 });
  });
});
