import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { coreDefinitions } from '../../api/core/index.js';
import { silentLogger } from '../../client/logger.js';
import { eventually, startTestApi, type TestApi } from '../../client/testing.js';
import { NAMESPACES } from './namespace-controller.js';
import { SERVICE_ACCOUNTS, serviceAccountController } from './service-account-controller.js';

describe('service account controller', () => {
  let api: TestApi;
  const ac = new AbortController();
  let running: Promise<void>;
  before(async () => {
    api = await startTestApi(coreDefinitions);
    await api.client.resource(NAMESPACES).create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'early' } });
    running = serviceAccountController(api.client, { log: silentLogger }).start(ac.signal);
  });
  after(async () => {
    ac.abort();
    await running;
    await api.close();
  });

  it('creates `default` in every active namespace and recreates it when deleted', async () => {
    const accounts = api.client.resource(SERVICE_ACCOUNTS);
    const namespaces = api.client.resource(NAMESPACES);
    await eventually(async () => !!(await accounts.get('early', 'default')), 'default in a namespace that existed before');
    await namespaces.create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'late' } });
    await eventually(async () => !!(await accounts.get('late', 'default')), 'default in a new namespace');
    const first = (await accounts.get('late', 'default'))!;
    await accounts.delete('late', 'default');
    await eventually(async () => {
      const again = await accounts.get('late', 'default');
      return !!again && again.metadata.uid !== first.metadata.uid;
    }, 'recreated');
    assert.equal((await accounts.list('late')).items.length, 1);
  });
});
