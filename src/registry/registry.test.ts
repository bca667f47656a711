import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { defineResource, type ResourceDefinition } from '../api/definition.js';
import type { KObject } from '../api/object.js';
import { openObject, opt } from '../api/schemas/index.js';
import { openStore } from '../storage/open-store.js';
import type { Store } from '../storage/types.js';
import { AdmissionChain } from './admission.js';
import { Registry } from './registry.js';
import { WatchCache } from './watch-cache.js';

const ctx = { user: { username: 't', groups: [] }, dryRun: false };
const body = Type.Object({ spec: opt(openObject('Anything.')) }, { description: 'x' });
const gadget = (version: string, extra: Partial<ResourceDefinition> = {}): ResourceDefinition =>
  defineResource({ group: 'example.com', version, kind: 'Gadget', plural: 'gadgets', singular: 'gadget', namespaced: true, schema: body, storageVersion: 'v1', ...extra });
const builtIn = defineResource({ group: 'example.com', version: 'v1', kind: 'Thing', plural: 'things', singular: 'thing', namespaced: true, schema: body });
const other = defineResource({ group: 'aaa.example.com', version: 'v1', kind: 'Other', plural: 'others', singular: 'other', namespaced: true, schema: body });

describe('Registry: definitions added, replaced and removed at run time', () => {
  let storage: Store;
  let cache: WatchCache;
  let registry: Registry;
  let changes = 0;

  before(async () => {
    storage = await openStore({ kind: 'memory' });
    cache = new WatchCache(storage);
    await cache.start();
    registry = new Registry({ storage, cache, admission: new AdmissionChain() });
    registry.add(builtIn);
    registry.onChange(() => changes++);
  });

  after(async () => {
    cache.stop();
    await storage.close();
  });

  it('serves dynamic definitions after the built-in ones, groups in name order, and tells listeners', () => {
    registry.setDynamic('gadgets.example.com', [gadget('v1'), gadget('v1beta1')]);
    registry.setDynamic('others.aaa.example.com', [other]);
    assert.equal(changes, 2);
    assert.deepEqual(registry.all().map((s) => `${s.def.group}/${s.def.version}/${s.def.plural}`), [
      'example.com/v1/things',
      'aaa.example.com/v1/others',
      'example.com/v1/gadgets',
      'example.com/v1beta1/gadgets',
    ]);
    assert.equal(registry.forKind('example.com', 'Gadget')!.def.version, 'v1', 'the first version listed wins the kind');
    assert.deepEqual(registry.builtInNames('example.com').map((n) => n.plural), ['things']);
  });

  it('never lets a run-time definition shadow a built-in one', () => {
    registry.setDynamic('things.example.com', [defineResource({ ...builtIn, kind: 'Impostor' })]);
    assert.equal(registry.lookup('example.com', 'v1', 'things')!.def.kind, 'Thing');
    registry.removeDynamic('things.example.com');
  });

  it('versions share objects: written through one, read through the other under its own apiVersion', async () => {
    const beta = registry.lookup('example.com', 'v1beta1', 'gadgets')!;
    await beta.create('ns', { apiVersion: 'example.com/v1beta1', kind: 'Gadget', metadata: { name: 'g1' }, spec: { a: 1 } } as KObject, ctx);
    const stored = JSON.parse((await storage.get('/registry/example.com/gadgets/ns/g1'))!.value);
    assert.equal(stored.apiVersion, 'example.com/v1', 'stored as the storage version');
    const v1 = registry.lookup('example.com', 'v1', 'gadgets')!;
    assert.equal((await v1.get('ns', 'g1')).apiVersion, 'example.com/v1');
    assert.equal((await beta.get('ns', 'g1')).apiVersion, 'example.com/v1beta1');
    assert.deepEqual((await beta.list('ns')).items.map((o) => o.apiVersion), ['example.com/v1beta1']);
    const r = await beta.update('ns', 'g1', (cur) => ({ ...cur!, spec: { a: 2 } }), ctx);
    assert.equal(r.obj.apiVersion, 'example.com/v1beta1');
  });

  it('a redefined resource keeps its open watches; a removed one ends them cleanly', async () => {
    const events: string[] = [];
    let ended = 0;
    const beta = registry.lookup('example.com', 'v1beta1', 'gadgets')!;
    beta.watch('ns', { resourceVersion: String(cache.revision) }, {
      onEvent: (t, o) => events.push(`${t} ${o.metadata.name} ${o.apiVersion}`),
      onError: (e) => assert.fail(e),
      onEnd: () => ended++,
    });
    // Redefine (a new schema, say): the watch carries on.
    registry.setDynamic('gadgets.example.com', [gadget('v1'), gadget('v1beta1', { description: 'changed' })]);
    assert.equal(beta.isRetired, true);
    const fresh = registry.lookup('example.com', 'v1beta1', 'gadgets')!;
    assert.notEqual(fresh, beta);
    await fresh.create('ns', { metadata: { name: 'g2' } } as KObject, ctx);
    await cache.sync();
    assert.deepEqual(events, ['ADDED g2 example.com/v1beta1']);
    assert.equal(ended, 0);
    // Remove: the watch ends, lookups miss, the objects stay in storage for the owner to clean up.
    registry.removeDynamic('gadgets.example.com');
    assert.equal(ended, 1);
    assert.equal(registry.lookup('example.com', 'v1', 'gadgets'), undefined);
    assert.equal(registry.forKind('example.com', 'Gadget'), undefined);
    // A store held by an in-flight request still works against the shared storage.
    assert.equal((await fresh.get('ns', 'g2')).metadata.name, 'g2');
  });
});
