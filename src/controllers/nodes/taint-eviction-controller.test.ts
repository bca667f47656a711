import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { coreDefinitions } from '../../api/core/index.js';
import { nowIso } from '../../api/object.js';
import { silentLogger } from '../../client/logger.js';
import { eventually, startTestApi, type TestApi } from '../../client/testing.js';
import { NODES, PODS } from './resources.js';
import { taintEvictionController } from './taint-eviction-controller.js';
import { boundPod, createNode, createPod, retryOnConflict } from './testing.js';

const EVENTS = { group: '', version: 'v1', resource: 'events' };

describe('taint eviction controller', () => {
  let api: TestApi;
  const ac = new AbortController();
  let running: Promise<void>;
  const getPod = (name: string) => api.client.resource(PODS).get('default', name);
  const taint = (node: string, taints: Record<string, unknown>[]) =>
    retryOnConflict(() => api.client.resource(NODES).patch(undefined, node, 'merge', { spec: { taints } }));

  before(async () => {
    api = await startTestApi(coreDefinitions);
    running = taintEvictionController(api.client, { log: silentLogger }).start(ac.signal);
  });
  after(async () => {
    ac.abort();
    await running;
    await api.close();
  });

  it('evicts pods by their tolerations of NoExecute taints', async () => {
    await createNode(api.client, 'm1');
    const exists = { key: 'example.com/maintenance', operator: 'Exists', effect: 'NoExecute' };
    await createPod(api.client, boundPod('default', 'intolerant', 'm1', { terminationGracePeriodSeconds: 0 }));
    await createPod(api.client, boundPod('default', 'brief', 'm1', { terminationGracePeriodSeconds: 0, tolerations: [{ ...exists, tolerationSeconds: 1 }] }));
    await createPod(api.client, boundPod('default', 'forever', 'm1', { terminationGracePeriodSeconds: 0, tolerations: [exists] }));
    await createPod(api.client, boundPod('default', 'elsewhere', 'other-node', { terminationGracePeriodSeconds: 0 }));

    const added = nowIso();
    await taint('m1', [{ key: 'example.com/maintenance', effect: 'NoExecute', timeAdded: added }]);
    await eventually(async () => !(await getPod('intolerant')), 'intolerant pod deleted');
    await eventually(async () => !(await getPod('brief')), 'pod deleted once its toleration expired', 15_000);
    // Never before its tolerationSeconds counted from the taint's timeAdded.
    assert.ok(Date.now() >= Date.parse(added) + 1000);
    assert.ok(await getPod('forever'), 'a pod tolerating without a limit stays');
    assert.ok(await getPod('elsewhere'), 'pods on other nodes stay');

    await eventually(async () => {
      const events = (await api.client.resource(EVENTS).list('default')).items;
      return events.some((e) => e.reason === 'TaintManagerEviction' && e.message === 'Marking for deletion Pod default/intolerant');
    }, 'TaintManagerEviction event');
  });

  it('force-deletes pods whose grace period ended on an unreachable node', async () => {
    await createNode(api.client, 'm2');
    await createPod(api.client, boundPod('default', 'stranded', 'm2', { terminationGracePeriodSeconds: 1 }));
    await taint('m2', [
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: nowIso() },
    ]);
    // Evicted gracefully first (no agent will confirm it), then removed once the grace period is over.
    await eventually(async () => !!(await getPod('stranded'))?.metadata.deletionTimestamp || !(await getPod('stranded')), 'eviction started');
    await eventually(async () => !(await getPod('stranded')), 'stranded pod force-deleted', 15_000);
  });
});
