import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { coreDefinitions } from '../../api/core/index.js';
import type { KObject } from '../../api/object.js';
import { silentLogger } from '../../client/logger.js';
import { eventually, startTestApi, widget, widgetDefinition, WIDGETS, type TestApi } from '../../client/testing.js';
import { namespaceController, NAMESPACES } from './namespace-controller.js';

const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps' };

describe('namespace controller', () => {
  let api: TestApi;
  const ac = new AbortController();
  let running: Promise<void>;
  before(async () => {
    api = await startTestApi([...coreDefinitions, widgetDefinition]);
    running = namespaceController(api.client, { log: silentLogger }).start(ac.signal);
  });
  after(async () => {
    ac.abort();
    await running;
    await api.close();
  });

  it('empties a terminating namespace, reports what holds it, then finalizes it', async () => {
    const namespaces = api.client.resource(NAMESPACES);
    const widgets = api.client.resource(WIDGETS);
    await namespaces.create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
    await namespaces.create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'spared' } });
    await widgets.create('doomed', widget('doomed', 'plain'));
    await widgets.create('doomed', widget('doomed', 'held', { metadata: { finalizers: ['test.dev/hold'] } }));
    await widgets.create('spared', widget('spared', 'other'));
    await api.client.resource(CONFIGMAPS).create('doomed', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: 'b' } });

    await namespaces.delete(undefined, 'doomed');
    const conditionOf = (ns: KObject | undefined, type: string) => ((ns?.status as { conditions?: { type: string; status: string; message: string }[] })?.conditions ?? []).find((c) => c.type === type);
    await eventually(async () => conditionOf(await namespaces.get(undefined, 'doomed'), 'NamespaceFinalizersRemaining')?.status === 'True', 'finalizers reported');
    const ns = (await namespaces.get(undefined, 'doomed'))!;
    assert.equal((ns.status as { phase: string }).phase, 'Terminating');
    assert.deepEqual((ns.spec as { finalizers: string[] }).finalizers, ['kubernetes']);
    assert.match(conditionOf(ns, 'NamespaceFinalizersRemaining')!.message, /test\.dev\/hold in 1 resource instances/);
    assert.match(conditionOf(ns, 'NamespaceContentRemaining')!.message, /widgets\.test\.workplane\.dev has 1 resource instances/);
    assert.equal(await widgets.get('doomed', 'plain'), undefined);
    assert.equal(await api.client.resource(CONFIGMAPS).get('doomed', 'cm'), undefined);
    assert.ok(await widgets.get('spared', 'other'));

    const held = (await widgets.get('doomed', 'held'))!;
    await widgets.update('doomed', { ...held, metadata: { ...held.metadata, finalizers: [] } });
    await eventually(async () => (await namespaces.get(undefined, 'doomed')) === undefined, 'namespace removed');
    assert.ok(await namespaces.get(undefined, 'spared'));
  });
});
