import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiResources, collectionPath, objectPath, parseAggregatedDiscovery, qualifiedKind } from './discovery.js';

const core = {
  kind: 'APIGroupDiscoveryList',
  items: [
    {
      metadata: {},
      versions: [
        {
          version: 'v1',
          resources: [
            { resource: 'pods', responseKind: { kind: 'Pod' }, scope: 'Namespaced', verbs: ['get', 'list', 'watch', 'create'], shortNames: ['po'] },
            { resource: 'nodes', responseKind: { kind: 'Node' }, scope: 'Cluster', verbs: ['get', 'list', 'watch'] },
            { resource: 'bindings', responseKind: { kind: 'Binding' }, scope: 'Namespaced', verbs: ['create'] },
          ],
        },
      ],
    },
  ],
};
const groups = {
  kind: 'APIGroupDiscoveryList',
  items: [
    { metadata: { name: 'kuma.io' }, versions: [{ version: 'v1alpha1', resources: [{ resource: 'workloads', responseKind: { kind: 'Workload' }, scope: 'Namespaced', verbs: ['get', 'list', 'watch'] }] }] },
    {
      metadata: { name: 'example.dev' },
      versions: [
        { version: 'v2', resources: [{ resource: 'things', responseKind: { kind: 'Thing' }, scope: 'Cluster', verbs: ['list', 'watch'] }] },
        { version: 'v1', resources: [{ resource: 'things', responseKind: { kind: 'Thing' }, scope: 'Cluster', verbs: ['list', 'watch'] }] },
      ],
    },
  ],
};

describe('discovery', () => {
  const r = new ApiResources([...parseAggregatedDiscovery(core), ...parseAggregatedDiscovery(groups)]);

  it('reads aggregated discovery, the preferred (first) version of each group', () => {
    assert.deepEqual(r.all.map((t) => `${t.group}/${t.version}/${t.resource}`), ['/v1/pods', '/v1/nodes', '/v1/bindings', 'kuma.io/v1alpha1/workloads', 'example.dev/v2/things']);
    assert.deepEqual(r.watchable().map((t) => t.resource), ['pods', 'nodes', 'workloads', 'things']);
    assert.throws(() => parseAggregatedDiscovery({ kind: 'APIGroupList', groups: [] }), /did not answer with an APIGroupDiscoveryList/);
  });

  it('builds URLs: core under /api, groups under /apis, namespaced or across namespaces', () => {
    const pods = r.find('', 'pods')!;
    assert.equal(collectionPath(pods), '/api/v1/pods');
    assert.equal(collectionPath(pods, 'a b'), '/api/v1/namespaces/a%20b/pods');
    assert.equal(objectPath(pods, 'ns', 'p'), '/api/v1/namespaces/ns/pods/p');
    assert.throws(() => objectPath(pods, undefined, 'p'), /namespaced/);
    const nodes = r.find('', 'nodes')!;
    assert.equal(collectionPath(nodes, 'ignored'), '/api/v1/nodes');
    assert.equal(collectionPath(r.find('kuma.io', 'workloads')!, 'm'), '/apis/kuma.io/v1alpha1/namespaces/m/workloads');
    assert.equal(qualifiedKind(r.find('kuma.io', 'workloads')!), 'Workload.kuma.io');
    assert.equal(r.forKind('example.dev/v1', 'Thing')?.version, 'v2', 'another version of a served kind maps to the served one');
  });
});
