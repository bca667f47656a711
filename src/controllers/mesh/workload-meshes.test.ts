import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dataplane } from './test-support.js';
import { WorkloadMeshes } from './workload-meshes.js';

describe('workload meshes', () => {
  it('reports each change of a key\'s set of meshes, including moves between keys and meshes', () => {
    const queued: string[] = [];
    const meshes = new WorkloadMeshes({ onChange: (k) => queued.push(k) });
    const h = meshes.dataplaneHandler;
    const a = dataplane('ns', 'a', 'w1', { mesh: 'm' });
    h.onAdd!(a);
    h.onAdd!(dataplane('ns', 'b', 'w1', { mesh: 'm' }));
    assert.deepEqual(queued.splice(0), ['ns/w1']);
    const a2 = dataplane('ns', 'a', 'w1', { mesh: 'n' });
    h.onUpdate!(a, a2); // a second mesh appears
    assert.deepEqual(queued.splice(0), ['ns/w1']);
    assert.deepEqual(Object.fromEntries(meshes.meshes('ns/w1')), { m: 1, n: 1 });
    const a3 = dataplane('ns', 'a', 'w2', { mesh: 'n' });
    h.onUpdate!(a2, a3); // leaves w1's mesh n, starts w2
    assert.deepEqual(queued.splice(0), ['ns/w1', 'ns/w2']);
    h.onUpdate!(a3, dataplane('ns', 'a', 'w2', { mesh: 'o' })); // the only proxy changes mesh: once
    assert.deepEqual(queued.splice(0), ['ns/w2']);
    assert.deepEqual([...meshes.meshes('ns/w2').keys()], ['o']);
    h.onUpdate!(dataplane('ns', 'a', 'w2', { mesh: 'o' }), dataplane('ns', 'a', undefined, { mesh: 'o' })); // label removed
    assert.deepEqual(queued.splice(0), ['ns/w2']);
    assert.equal(meshes.meshes('ns/w2').size, 0);
    h.onDelete!(dataplane('ns', 'a', 'stale-last-state')); // found by key: nothing tracked, nothing queued
    h.onDelete!(dataplane('ns', 'b', 'stale-last-state'));
    assert.deepEqual(queued.splice(0), ['ns/w1']);
    assert.equal(meshes.size, 0);
  });
});
