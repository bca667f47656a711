import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { customResourceDefinitionDefinition } from '../../api/apiextensions/index.js';
import type { KObject } from '../../api/object.js';
import { silentLogger } from '../../client/logger.js';
import { startTestApi, widgetDefinition, type TestApi } from '../../client/testing.js';
import { CRDS, startCrdController, type CrdController } from './crd-controller.js';

const gadgets = (extra: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gadgets.test.workplane.dev' },
  spec: {
    group: 'test.workplane.dev',
    scope: 'Namespaced',
    names: { plural: 'gadgets', kind: 'Gadget', shortNames: ['gd'] },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { n: { type: 'integer' } } } } } } }],
    ...extra,
  },
});

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const condition = (crd: KObject | undefined, type: string) =>
  ((crd?.status as { conditions?: { type: string; status: string; reason: string; message: string }[] })?.conditions ?? []).find((c) => c.type === type);

describe('CRD controller', () => {
  let api: TestApi;
  let ctl: CrdController;
  const abort = new AbortController();

  before(async () => {
    api = await startTestApi([widgetDefinition, customResourceDefinitionDefinition]);
    ctl = startCrdController(api.client, api.registry, abort.signal, { log: silentLogger });
    await ctl.synced;
  });

  after(async () => {
    abort.abort();
    await ctl.done;
    await api.close();
  });

  it('serves a new CRD and marks it NamesAccepted and Established', async () => {
    await api.client.resource(CRDS).create(undefined, gadgets());
    await until('served', () => api.registry.lookup('test.workplane.dev', 'v1', 'gadgets'));
    const crd = await until('established', async () => {
      const c = await api.client.resource(CRDS).get(undefined, 'gadgets.test.workplane.dev');
      return condition(c, 'Established')?.status === 'True' ? c : undefined;
    });
    assert.deepEqual([condition(crd, 'NamesAccepted')!.status, condition(crd, 'NamesAccepted')!.reason], ['True', 'NoConflicts']);
    const rc = api.client.resource({ group: 'test.workplane.dev', version: 'v1', resource: 'gadgets' });
    await rc.create('ns', { apiVersion: 'test.workplane.dev/v1', kind: 'Gadget', metadata: { name: 'g' }, spec: { n: 1 } } as KObject);
    assert.deepEqual((await rc.get('ns', 'g'))!.spec, { n: 1 });
  });

  it('refuses names the server serves itself, and names another CRD of the group accepted', async () => {
    const clash = gadgets({ names: { plural: 'widgets', kind: 'Widget' } });
    clash.metadata.name = 'widgets.test.workplane.dev';
    await api.client.resource(CRDS).create(undefined, clash);
    const c = await until('not accepted', async () => {
      const x = await api.client.resource(CRDS).get(undefined, 'widgets.test.workplane.dev');
      return condition(x, 'NamesAccepted') ? x : undefined;
    });
    assert.deepEqual([condition(c, 'NamesAccepted')!.reason, condition(c, 'NamesAccepted')!.message], ['PluralConflict', '"widgets" is already in use']);
    assert.deepEqual([condition(c, 'Established')!.status, condition(c, 'Established')!.reason], ['False', 'NotAccepted']);
    assert.equal(api.registry.lookup('test.workplane.dev', 'v1', 'widgets')!.def.kind, 'Widget', 'the built-in kind is untouched');

    const kindClash = gadgets({ names: { plural: 'doodads', singular: 'doodad', kind: 'Gadget' } });
    kindClash.metadata.name = 'doodads.test.workplane.dev';
    await api.client.resource(CRDS).create(undefined, kindClash);
    const k = await until('kind conflict', async () => condition(await api.client.resource(CRDS).get(undefined, 'doodads.test.workplane.dev'), 'NamesAccepted'));
    assert.deepEqual([k.reason, k.message], ['KindConflict', '"Gadget" is already in use']);
    assert.equal(api.registry.lookup('test.workplane.dev', 'v1', 'doodads'), undefined);
  });

  it('applies CRD changes live (a new version becomes served)', async () => {
    const rc = api.client.resource(CRDS);
    const cur = (await rc.get(undefined, 'gadgets.test.workplane.dev'))!;
    const versions = (cur.spec as { versions: Record<string, unknown>[] }).versions;
    (cur.spec as { versions: unknown[] }).versions = [...versions, { ...versions[0], name: 'v2', storage: false }];
    await rc.update(undefined, cur);
    await until('v2 served', () => api.registry.lookup('test.workplane.dev', 'v2', 'gadgets'));
    const g = await api.client.resource({ group: 'test.workplane.dev', version: 'v2', resource: 'gadgets' }).get('ns', 'g');
    assert.equal(g!.apiVersion, 'test.workplane.dev/v2');
  });

  it('on delete, removes every object, then the finalizer, then stops serving', async () => {
    const objs = api.client.resource({ group: 'test.workplane.dev', version: 'v1', resource: 'gadgets' });
    await objs.create('other', { apiVersion: 'test.workplane.dev/v1', kind: 'Gadget', metadata: { name: 'h' } } as KObject);
    const deleting = await api.client.resource(CRDS).delete(undefined, 'gadgets.test.workplane.dev');
    assert.equal(condition(deleting, 'Terminating')!.reason, 'InstanceDeletionPending');
    await until('crd gone', async () => (await api.client.resource(CRDS).get(undefined, 'gadgets.test.workplane.dev')) === undefined || undefined);
    await until('not served', () => api.registry.lookup('test.workplane.dev', 'v1', 'gadgets') === undefined || undefined);
    assert.deepEqual((await api.storage.range('/registry/test.workplane.dev/gadgets/')).items, [], 'objects deleted from storage');
  });
});
