import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { coreDefinitions } from '../api/core/index.js';
import { EventRecorder } from './event-recorder.js';
import { silentLogger } from './logger.js';
import { gizmoDefinition, GIZMOS, startTestApi, widget, widgetDefinition, WIDGETS, type TestApi } from './testing.js';

const EVENTS = { group: '', version: 'v1', resource: 'events' };

describe('EventRecorder', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi([...coreDefinitions, widgetDefinition, gizmoDefinition]);
  });
  after(() => api.close());

  it('creates an Event about the object, and folds repeats into count', async () => {
    const w = await api.client.resource(WIDGETS).create('ev1', widget('ev1', 'w'));
    const rec = new EventRecorder(api.client, { component: 'test-controller', host: 'node-1', log: silentLogger });
    rec.event(w, 'Normal', 'Created', 'made it');
    await rec.flush();
    rec.event(w, 'Normal', 'Created', 'made it');
    rec.event(w, 'Normal', 'Created', 'made it');
    rec.event(w, 'Warning', 'Failed', 'broke');
    await rec.flush();
    const { items } = await api.client.resource(EVENTS).list('ev1');
    assert.equal(items.length, 2);
    const created = items.find((e) => e.reason === 'Created')!;
    assert.equal(created.count, 3);
    assert.equal(created.type, 'Normal');
    assert.equal(created.message, 'made it');
    assert.match(created.metadata.name!, /^w\.[0-9a-f]+$/);
    assert.deepEqual(created.source, { component: 'test-controller', host: 'node-1' });
    assert.deepEqual(created.involvedObject, {
      kind: 'Widget',
      namespace: 'ev1',
      name: 'w',
      uid: w.metadata.uid,
      apiVersion: 'test.workplane.dev/v1',
      resourceVersion: w.metadata.resourceVersion,
    });
    assert.ok(created.firstTimestamp && created.lastTimestamp);
    assert.equal(items.find((e) => e.reason === 'Failed')!.count, 1);
  });

  it('recreates a deleted Event on the next repeat, keeping the count', async () => {
    const w = await api.client.resource(WIDGETS).create('ev2', widget('ev2', 'w'));
    const rec = new EventRecorder(api.client, { component: 'c', log: silentLogger });
    rec.event(w, 'Normal', 'R', 'm');
    await rec.flush();
    const events = api.client.resource(EVENTS);
    const [first] = (await events.list('ev2')).items;
    await events.delete('ev2', first.metadata.name!);
    rec.event(w, 'Normal', 'R', 'm');
    await rec.flush();
    const { items } = await events.list('ev2');
    assert.equal(items.length, 1);
    assert.equal(items[0].count, 2);
  });

  it('puts events about cluster-scoped objects in default', async () => {
    const g = await api.client.resource(GIZMOS).create(undefined, { apiVersion: 'test.workplane.dev/v1', kind: 'Gizmo', metadata: { name: 'g1' } });
    const rec = new EventRecorder(api.client, { component: 'c', log: silentLogger });
    rec.event(g, 'Normal', 'Seen', 'hello');
    await rec.flush();
    const ev = (await api.client.resource(EVENTS).list('default')).items.find((e) => (e.involvedObject as { name: string }).name === 'g1')!;
    assert.equal((ev.involvedObject as { namespace?: string }).namespace, undefined);
    assert.equal(ev.metadata.namespace, 'default');
  });

  it('never throws, even when events are not served', async () => {
    const bare = await startTestApi();
    try {
      const rec = new EventRecorder(bare.client, { component: 'c', log: silentLogger });
      rec.event(widget('x', 'y'), 'Warning', 'R', 'm');
      await rec.flush();
    } finally {
      await bare.close();
    }
  });
});
