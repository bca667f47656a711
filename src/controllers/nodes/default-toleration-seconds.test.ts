import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { coreDefinitions } from '../../api/core/index.js';
import { startTestApi, type TestApi } from '../../client/testing.js';
import { defaultTolerationSeconds } from './default-toleration-seconds.js';
import { PODS } from './resources.js';
import { boundPod } from './testing.js';

describe('DefaultTolerationSeconds admission', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi(coreDefinitions);
    api.admission.register(defaultTolerationSeconds(42));
  });
  after(() => api.close());

  it('adds not-ready and unreachable NoExecute tolerations to new pods', async () => {
    const pod = await api.client.resource(PODS).create('default', boundPod('default', 'a', ''));
    assert.deepEqual((pod.spec as { tolerations: unknown[] }).tolerations, [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 42 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 42 },
    ]);
  });

  it('keeps tolerations the pod states itself', async () => {
    const own = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 7 };
    const pod = await api.client.resource(PODS).create('default', boundPod('default', 'b', '', { tolerations: [own] }));
    assert.deepEqual((pod.spec as { tolerations: unknown[] }).tolerations, [
      own,
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 42 },
    ]);
    const all = await api.client.resource(PODS).create('default', boundPod('default', 'c', '', { tolerations: [{ operator: 'Exists' }] }));
    assert.deepEqual((all.spec as { tolerations: unknown[] }).tolerations, [{ operator: 'Exists' }]);
  });
});
