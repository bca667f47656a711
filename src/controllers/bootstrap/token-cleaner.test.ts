import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { coreDefinitions } from '../../api/core/index.js';
import type { KObject } from '../../api/object.js';
import { eventually, startTestApi, type TestApi } from '../../client/testing.js';
import { silentLogger } from '../../client/logger.js';
import { TokenCleaner } from './token-cleaner.js';

const SECRETS = { group: '', version: 'v1', resource: 'secrets' };
const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces' };
const b64 = (s: string) => Buffer.from(s).toString('base64');
const T0 = Date.parse('2026-12-01T00:00:00Z');

const token = (id: string, expiration?: string, type = 'bootstrap.kubernetes.io/token', ns = 'kube-system'): KObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: `bootstrap-token-${id}`, namespace: ns },
  type,
  data: { 'token-id': b64(id), 'token-secret': b64('0123456789abcdef'), ...(expiration ? { expiration: b64(expiration) } : {}) },
});

describe('bootstrap token cleaner', () => {
  let api: TestApi;
  let now = T0;
  const names = async (ns = 'kube-system') => (await api.client.resource(SECRETS).list(ns)).items.map((s) => s.metadata.name).sort();
  before(async () => {
    api = await startTestApi(coreDefinitions);
    for (const ns of ['kube-system', 'other']) await api.client.resource(NAMESPACES).create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  });
  after(async () => {
    await api?.close();
  });

  it('deletes expired and unreadable tokens only, and says when the next one expires', async () => {
    const secrets = api.client.resource(SECRETS);
    await secrets.create('kube-system', token('expird', '2026-11-30T23:59:59Z'));
    await secrets.create('kube-system', token('garbld', 'next tuesday'));
    await secrets.create('kube-system', token('future', '2026-12-01T01:00:00Z'));
    await secrets.create('kube-system', token('sooner', '2026-12-01T00:10:00Z'));
    await secrets.create('kube-system', token('nevers'));
    // Not bootstrap tokens: another type, another namespace.
    await secrets.create('kube-system', token('opaque', '2026-11-01T00:00:00Z', 'Opaque'));
    await secrets.create('other', token('elsewh', '2026-11-01T00:00:00Z', undefined, 'other'));
    const cleaner = new TokenCleaner(api.client, { clock: () => now, log: silentLogger });
    const r = await cleaner.sweep();
    assert.deepEqual(r.deleted.sort(), ['bootstrap-token-expird', 'bootstrap-token-garbld']);
    assert.equal(r.next, Date.parse('2026-12-01T00:10:00Z'));
    assert.deepEqual(await names(), ['bootstrap-token-future', 'bootstrap-token-nevers', 'bootstrap-token-opaque', 'bootstrap-token-sooner']);
    assert.deepEqual(await names('other'), ['bootstrap-token-elsewh']);
    // A second sweep at the same time finds nothing more to do.
    assert.deepEqual((await cleaner.sweep()).deleted, []);
  });

  it('running, it deletes a token when its time comes', async () => {
    const ac = new AbortController();
    now = Date.now();
    const soon = new Date(now + 300).toISOString();
    await api.client.resource(SECRETS).create('kube-system', token('soonly', soon));
    const cleaner = new TokenCleaner(api.client, { log: silentLogger });
    const running = cleaner.run(ac.signal);
    try {
      await eventually(async () => !(await names()).includes('bootstrap-token-soonly'), 'the token to be deleted after it expired');
      assert.ok(Date.now() >= Date.parse(soon), 'not before its expiration');
    } finally {
      ac.abort();
      await running;
    }
  });
});
