// ResourceQuota for pods: admission refusals with kube's messages, no
// overshoot under concurrent creates, and status.used kept current.

import assert from 'node:assert/strict';
import { setMaxListeners } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { coreDefinitions } from '../../api/core/index.js';
import type { ApiError } from '../../api/errors.js';
import type { KObject } from '../../api/object.js';
import { silentLogger } from '../../client/logger.js';
import { eventually, startTestApi, type TestApi } from '../../client/testing.js';
import { resourceQuotaAdmission } from './quota-admission.js';
import { quotaController, QUOTAS } from './quota-controller.js';

const PODS = { group: '', version: 'v1', resource: 'pods' };

const pod = (name: string, resources: Record<string, Record<string, string>> = { requests: { cpu: '500m', memory: '128Mi' } }, container = 'nginx'): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: container, image: 'nginx', resources }] },
});
const quota = (name: string, hard: Record<string, string>, extra: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name },
  spec: { hard, ...extra },
});

describe('resource quota', () => {
  let api: TestApi;
  const ac = new AbortController();
  setMaxListeners(0, ac.signal);
  let running: Promise<void>;
  before(async () => {
    api = await startTestApi(coreDefinitions);
    api.admission.register(resourceQuotaAdmission(api.registry));
    running = quotaController(api.client, { log: silentLogger }).start(ac.signal);
  });
  after(async () => {
    ac.abort();
    await running;
    await api.close();
  });

  const refusal = async (ns: string, p: KObject): Promise<ApiError> => {
    try {
      await api.client.resource(PODS).create(ns, p);
    } catch (e) {
      return e as ApiError;
    }
    throw new Error(`pod ${p.metadata.name} was admitted`);
  };

  it("refuses a pod over the quota with kube's message, naming only what is exceeded", async () => {
    const ns = 'q-exceed';
    await api.client.resource(QUOTAS).create(ns, quota('compute-quota', { 'requests.cpu': '1', 'requests.memory': '1Gi', pods: '10' }));
    await api.client.resource(PODS).create(ns, pod('a'));
    await api.client.resource(PODS).create(ns, pod('b'));
    const e = await refusal(ns, pod('c'));
    assert.equal(e.code, 403);
    assert.equal(e.reason, 'Forbidden');
    assert.equal(e.message, 'pods "c" is forbidden: exceeded quota: compute-quota, requested: requests.cpu=500m, used: requests.cpu=1, limited: requests.cpu=1');
    assert.deepEqual(e.details, { name: 'c', kind: 'pods' });
  });

  it('lists every exceeded resource, sorted', async () => {
    const ns = 'q-many';
    await api.client.resource(QUOTAS).create(ns, quota('small', { 'limits.memory': '256Mi', 'limits.cpu': '200m', pods: '5' }));
    const e = await refusal(ns, pod('big', { limits: { cpu: '1', memory: '1Gi' } }));
    assert.equal(e.message, 'pods "big" is forbidden: exceeded quota: small, requested: limits.cpu=1,limits.memory=1Gi, used: limits.cpu=0,limits.memory=0, limited: limits.cpu=200m,limits.memory=256Mi');
  });

  it('demands the requests and limits a quota tracks', async () => {
    const ns = 'q-missing';
    await api.client.resource(QUOTAS).create(ns, quota('compute-quota', { 'limits.cpu': '2', 'requests.memory': '1Gi' }));
    const e = await refusal(ns, pod('bare', {}, 'app'));
    assert.equal(e.message, 'pods "bare" is forbidden: failed quota: compute-quota: must specify limits.cpu for: app; requests.memory for: app');
  });

  it('counts pods against `pods` and never lets concurrent creates overshoot', async () => {
    const ns = 'q-race';
    await api.client.resource(QUOTAS).create(ns, quota('three-pods', { pods: '3' }));
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => api.client.resource(PODS).create(ns, pod(`p${i}`))));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 3);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.ok(refused.every((r) => /exceeded quota: three-pods, requested: pods=1, used: pods=3, limited: pods=3$/.test((r.reason as Error).message)));
  });

  it('applies scoped quotas only to the pods they cover', async () => {
    const ns = 'q-scope';
    await api.client.resource(QUOTAS).create(ns, quota('best-effort', { pods: '1' }, { scopes: ['BestEffort'] }));
    await api.client.resource(PODS).create(ns, pod('be1', {}));
    await api.client.resource(PODS).create(ns, pod('burstable'));
    const e = await refusal(ns, pod('be2', {}));
    assert.match(e.message, /exceeded quota: best-effort, requested: pods=1, used: pods=1, limited: pods=1$/);
  });

  it('keeps status.hard and status.used current as pods come and go', async () => {
    const ns = 'q-status';
    await api.client.resource(QUOTAS).create(ns, quota('compute-quota', { 'requests.cpu': '2', 'requests.memory': '1Gi', 'limits.cpu': '4', pods: '10', secrets: '5' }));
    const status = async () => (await api.client.resource(QUOTAS).get(ns, 'compute-quota'))?.status as { hard?: Record<string, string>; used?: Record<string, string> } | undefined;
    await eventually(async () => (await status())?.used?.pods === '0', 'initial status');
    assert.deepEqual((await status())!.hard, { 'requests.cpu': '2', 'requests.memory': '1Gi', 'limits.cpu': '4', pods: '10', secrets: '5' });
    await api.client.resource(PODS).create(ns, pod('a', { requests: { cpu: '250m', memory: '128Mi' }, limits: { cpu: '1' } }));
    await api.client.resource(PODS).create(ns, pod('b', { requests: { cpu: '250m', memory: '128Mi' }, limits: { cpu: '1' } }));
    await eventually(async () => (await status())?.used?.pods === '2', 'two pods counted');
    assert.deepEqual((await status())!.used, { 'requests.cpu': '500m', 'requests.memory': '256Mi', 'limits.cpu': '2', pods: '2', secrets: '0' });
    await api.client.resource(PODS).delete(ns, 'a');
    await eventually(async () => (await status())?.used?.pods === '1', 'deletion counted');
    assert.equal((await status())!.used!['requests.cpu'], '250m');
  });
});
