import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KObject, OwnerReference } from '../../api/object.js';
import { silentLogger } from '../../client/logger.js';
import { eventually, GIZMOS, startTestApi, widget, WIDGETS, type TestApi } from '../../client/testing.js';
import type { ResourceClient } from '../../client/types.js';
import { GarbageCollector } from './garbage-collector.js';

const refTo = (o: KObject, extra: Partial<OwnerReference> = {}): OwnerReference => ({
  apiVersion: o.apiVersion!,
  kind: o.kind!,
  name: o.metadata.name!,
  uid: o.metadata.uid!,
  ...extra,
});

describe('GarbageCollector', () => {
  let api: TestApi;
  let widgets: ResourceClient;
  let gizmos: ResourceClient;
  let gc: GarbageCollector;
  const ac = new AbortController();
  let running: Promise<void>;

  before(async () => {
    api = await startTestApi();
    widgets = api.client.resource(WIDGETS);
    gizmos = api.client.resource(GIZMOS);
    gc = new GarbageCollector(api.client, { log: silentLogger, workers: 1 });
    running = gc.start(ac.signal);
    await gc.controller.informers.waitForSync();
  });
  after(async () => {
    ac.abort();
    await running;
    await api.close();
  });

  const gone = (ns: string, name: string) => async () => (await widgets.get(ns, name)) === undefined;
  const child = (ns: string, name: string, owners: OwnerReference[], extra: Partial<KObject['metadata']> = {}) =>
    widgets.create(ns, widget(ns, name, { metadata: { ownerReferences: owners, ...extra } }));

  it('deletes dependents in the background once their owner is deleted', async () => {
    const owner = await widgets.create('g1', widget('g1', 'owner'));
    await child('g1', 'a', [refTo(owner)]);
    await child('g1', 'b', [refTo(owner, { controller: true, blockOwnerDeletion: true })]);
    await widgets.delete('g1', 'owner');
    await eventually(gone('g1', 'a'), 'a collected');
    await eventually(gone('g1', 'b'), 'b collected');
  });

  it('lets a cluster-scoped owner own namespaced dependents', async () => {
    const owner = await gizmos.create(undefined, { apiVersion: 'test.workplane.dev/v1', kind: 'Gizmo', metadata: { name: 'big' } });
    await child('g2a', 'x', [refTo(owner)]);
    await child('g2b', 'y', [refTo(owner)]);
    await gizmos.delete(undefined, 'big');
    await eventually(gone('g2a', 'x'), 'x collected');
    await eventually(gone('g2b', 'y'), 'y collected');
  });

  it('collects dependents of owners that never existed or were replaced, keeps those with live owners, drops dangling references', async () => {
    const owner = await widgets.create('g3', widget('g3', 'owner'));
    const keeps = await child('g3', 'keeps', [refTo(owner)]);
    await child('g3', 'ghost', [{ apiVersion: 'test.workplane.dev/v1', kind: 'Widget', name: 'never', uid: 'no-such-uid' }]);
    await child('g3', 'stale', [{ ...refTo(owner), uid: 'an-older-uid' }]);
    const two = await child('g3', 'two-owners', [refTo(owner), { apiVersion: 'test.workplane.dev/v1', kind: 'Widget', name: 'gone', uid: 'gone-uid' }]);
    await child('g3', 'unknown-kind', [{ apiVersion: 'nowhere.dev/v1', kind: 'Thing', name: 't', uid: 'thing-uid' }]);
    await eventually(gone('g3', 'ghost'), 'ghost collected');
    await eventually(gone('g3', 'stale'), 'stale collected');
    await eventually(async () => (await widgets.get('g3', 'two-owners'))?.metadata.ownerReferences?.length === 1, 'dangling reference dropped');
    // A sentinel queued after everything above: once it is collected (one worker, FIFO), the rest was decided.
    await child('g3', 'sentinel', [{ apiVersion: 'test.workplane.dev/v1', kind: 'Widget', name: 'never', uid: 'no-such-uid-2' }]);
    await eventually(gone('g3', 'sentinel'), 'sentinel collected');
    assert.equal((await widgets.get('g3', 'keeps'))?.metadata.uid, keeps.metadata.uid);
    assert.equal((await widgets.get('g3', 'two-owners'))?.metadata.uid, two.metadata.uid);
    assert.deepEqual((await widgets.get('g3', 'two-owners'))?.metadata.ownerReferences, [refTo(owner)]);
    assert.ok(await widgets.get('g3', 'unknown-kind'), 'unresolvable owners are never collected');
  });

  it('foreground: the owner stays until its blocking dependents (and theirs) are gone', async () => {
    const a = await widgets.create('g4', widget('g4', 'a'));
    const b = await child('g4', 'b', [refTo(a, { blockOwnerDeletion: true })]);
    await child('g4', 'c', [refTo(b, { blockOwnerDeletion: true })], { finalizers: ['test.dev/hold'] });
    await widgets.delete('g4', 'a', { propagationPolicy: 'Foreground' });
    await eventually(async () => !!(await widgets.get('g4', 'c'))?.metadata.deletionTimestamp, 'c deleting');
    const held = (await widgets.get('g4', 'a'))!;
    assert.ok(held.metadata.deletionTimestamp);
    assert.deepEqual(held.metadata.finalizers, ['foregroundDeletion']);
    assert.ok(await widgets.get('g4', 'b'), 'b waits for c');
    const c = (await widgets.get('g4', 'c'))!;
    await widgets.update('g4', { ...c, metadata: { ...c.metadata, finalizers: [] } });
    await eventually(gone('g4', 'a'), 'a gone at last');
    assert.equal(await widgets.get('g4', 'b'), undefined);
    assert.equal(await widgets.get('g4', 'c'), undefined);
  });

  it('orphan: dependents lose the reference and stay; the owner goes', async () => {
    const owner = await widgets.create('g5', widget('g5', 'owner'));
    await child('g5', 'd1', [refTo(owner)]);
    const keeper = await widgets.create('g5', widget('g5', 'keeper'));
    await child('g5', 'd2', [refTo(owner), refTo(keeper)]);
    await widgets.delete('g5', 'owner', { propagationPolicy: 'Orphan' });
    await eventually(gone('g5', 'owner'), 'owner gone');
    assert.equal((await widgets.get('g5', 'd1'))?.metadata.ownerReferences, undefined);
    assert.deepEqual((await widgets.get('g5', 'd2'))?.metadata.ownerReferences, [refTo(keeper)]);
  });
});
