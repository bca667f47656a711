import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { coreDefinitions } from '../../api/core/index.js';
import type { KObject } from '../../api/object.js';
import { silentLogger } from '../../client/logger.js';
import { eventually, startTestApi, type TestApi } from '../../client/testing.js';
import { nodeLifecycleController } from './node-lifecycle-controller.js';
import { NODES, PODS } from './resources.js';
import { boundPod, conditionOf, createNode, createPod, heartbeat, postReady, renewLease, retryOnConflict, taintsOf } from './testing.js';

const EVENTS = { group: '', version: 'v1', resource: 'events' };
const has = (node: KObject | undefined, key: string, effect: string) => taintsOf(node).some((t) => t.key === key && t.effect === effect);

describe('node lifecycle controller', () => {
  let api: TestApi;
  const ac = new AbortController();
  let running: Promise<void>;
  const getNode = (name: string) => api.client.resource(NODES).get(undefined, name);

  before(async () => {
    api = await startTestApi(coreDefinitions);
    running = nodeLifecycleController(api.client, { gracePeriodSeconds: 1, log: silentLogger }).start(ac.signal);
  });
  after(async () => {
    ac.abort();
    await running;
    await api.close();
  });

  it('marks a silent node Unknown and unreachable, and clears the taints when the lease is renewed', async () => {
    await createNode(api.client, 'n1');
    await renewLease(api.client, 'n1');
    await createPod(api.client, boundPod('default', 'p1', 'n1'));
    const running = { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } };
    await retryOnConflict(() => api.client.resource(PODS).patch('default', 'p1', 'merge', running, { subresource: 'status' }));

    await eventually(async () => {
      const n = await getNode('n1');
      return has(n, 'node.kubernetes.io/unreachable', 'NoExecute') && has(n, 'node.kubernetes.io/unreachable', 'NoSchedule');
    }, 'unreachable taints');
    const node = (await getNode('n1'))!;
    for (const type of ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']) assert.equal(conditionOf(node, type)?.status, 'Unknown', type);
    assert.equal(conditionOf(node, 'Ready')?.reason, 'NodeStatusUnknown');
    assert.equal(conditionOf(node, 'Ready')?.message, 'Kubelet stopped posting node status.');
    assert.equal(conditionOf(node, 'DiskPressure')?.reason, 'NodeStatusNeverUpdated');
    const noExecute = taintsOf(node).find((t) => t.effect === 'NoExecute')!;
    assert.ok(noExecute.timeAdded, 'NoExecute taint carries timeAdded');

    await eventually(async () => conditionOf(await api.client.resource(PODS).get('default', 'p1'), 'Ready')?.status === 'False', 'pod marked not ready');
    await eventually(async () => {
      const events = (await api.client.resource(EVENTS).list('default')).items;
      return events.some((e) => e.reason === 'NodeNotReady' && (e.involvedObject as { name: string }).name === 'n1');
    }, 'NodeNotReady event');

    // The agent is back: its lease renews (it keeps renewing while we look).
    const stop = heartbeat(api.client, 'n1');
    try {
      await eventually(async () => taintsOf(await getNode('n1')).length === 0, 'unreachable taints removed');
    } finally {
      await stop();
    }
  });

  it('taints a node its agent reports NotReady with not-ready, and a cordoned node with unschedulable', async () => {
    await createNode(api.client, 'n2', 'False', { unschedulable: true });
    const stop = heartbeat(api.client, 'n2');
    try {
      await eventually(async () => {
        const n = await getNode('n2');
        return has(n, 'node.kubernetes.io/not-ready', 'NoExecute') && has(n, 'node.kubernetes.io/not-ready', 'NoSchedule') && has(n, 'node.kubernetes.io/unschedulable', 'NoSchedule');
      }, 'not-ready and unschedulable taints');
      // Ready again and uncordoned: the controller's taints go, a user's stays.
      const cur = (await getNode('n2'))!;
      const taints = [...taintsOf(cur), { key: 'example.com/user', effect: 'NoSchedule' }];
      await retryOnConflict(() => api.client.resource(NODES).patch(undefined, 'n2', 'merge', { spec: { unschedulable: false, taints } }));
      await postReady(api.client, 'n2', 'True');
      await eventually(async () => {
        const keys = taintsOf(await getNode('n2')).map((t) => t.key);
        return keys.length === 1 && keys[0] === 'example.com/user';
      }, 'managed taints removed');
    } finally {
      await stop();
    }
  });
});
