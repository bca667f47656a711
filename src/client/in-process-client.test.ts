import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiError } from '../api/errors.js';
import { startTestApi, widget, WIDGETS, type TestApi } from './testing.js';

describe('InProcessClient', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi(undefined, 2);
  });
  after(() => api.close());

  it('returns copies from get and list, undefined for a missing object', async () => {
    const rc = api.client.resource(WIDGETS);
    const input = widget('p1', 'a', { spec: { n: 1 } });
    await rc.create('p1', input);
    assert.equal(input.metadata.uid, undefined, 'the caller’s object is not changed');
    const got = (await rc.get('p1', 'a'))!;
    got.spec = { n: 99 };
    (await rc.list('p1')).items[0].spec = { n: 98 };
    assert.deepEqual((await rc.get('p1', 'a'))!.spec, { n: 1 });
    assert.equal(await rc.get('p1', 'nope'), undefined);
    assert.throws(() => api.client.resource({ group: 'no', version: 'v1', resource: 'such' }), (e: ApiError) => e.code === 404);
    assert.equal(api.client.forKind('test.workplane.dev/v1', 'Widget'), rc);
    assert.deepEqual(api.client.resources().map((r) => r.gvr.resource), ['widgets', 'gizmos']);
  });

  it('patches with merge, JSON and apply; writes status through the status subresource', async () => {
    const rc = api.client.resource(WIDGETS);
    await rc.create('p2', widget('p2', 'a', { spec: { n: 1 } }));
    assert.deepEqual((await rc.patch('p2', 'a', 'merge', { spec: { m: 2 } })).spec, { n: 1, m: 2 });
    assert.deepEqual((await rc.patch('p2', 'a', 'json', [{ op: 'remove', path: '/spec/n' }])).spec, { m: 2 });
    const applied = await rc.patch('p2', 'b', 'apply', widget('p2', 'b', { spec: { x: 1 } }), { fieldManager: 'me' });
    assert.equal(applied.metadata.managedFields?.[0]?.manager, 'me');
    assert.equal(applied.metadata.managedFields?.[0]?.operation, 'Apply');
    const cur = (await rc.get('p2', 'a'))!;
    const withStatus = await rc.updateStatus('p2', { ...cur, spec: { ignored: true }, status: { ok: true } });
    assert.deepEqual(withStatus.status, { ok: true });
    assert.deepEqual(withStatus.spec, { m: 2 }, 'a status write keeps spec');
    await assert.rejects(rc.update('p2', cur), (e: ApiError) => e.code === 409 && e.reason === 'Conflict');
    const dry = await rc.create('p2', widget('p2', 'dry'), { dryRun: true });
    assert.ok(dry.metadata.uid);
    assert.equal(await rc.get('p2', 'dry'), undefined);
  });

  it('reports a watch from a compacted version as expired', async () => {
    const rc = api.client.resource(WIDGETS);
    const first = await rc.create('p3', widget('p3', 'a'));
    for (let i = 0; i < 5; i++) await rc.patch('p3', 'a', 'merge', { spec: { i } });
    await api.storage.compact(Number((await rc.get('p3', 'a'))!.metadata.resourceVersion));
    const err = await new Promise<Error & { expired?: boolean }>((resolve) => {
      rc.watch('p3', { resourceVersion: first.metadata.resourceVersion }, { onEvent: () => {}, onClose: (e) => resolve(e!) });
    });
    assert.equal(err.expired, true);
    assert.equal((err as ApiError).code, 410);
  });
});
