import assert from 'node:assert/strict';
import { text } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { coreDefinitions } from '../api/core/index.js';
import { eventually, startTestApi, type TestApi } from '../client/testing.js';
import { silentLogger } from '../client/logger.js';
import { startInProcessAgent, type InProcessAgent } from './in-process.js';
import { localLogSource } from './local-log-sources.js';
import { LEASES, NODES, pod, PODS, statusOf } from './testing.js';

describe('in-process agent (workplane serve --agent-nodes N)', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi(coreDefinitions);
  });
  after(() => api.close());

  it('serves N simulated nodes and registers their logs for the API server', async () => {
    const running: InProcessAgent = await startInProcessAgent(api.client, { nodes: 3, log: silentLogger, simulation: { startJitterMs: 0 } });
    try {
      assert.deepEqual((await api.client.resource(NODES).list()).items.map((n) => n.metadata.name).sort(), ['node-0', 'node-1', 'node-2']);
      assert.equal(localLogSource('node-2'), running.agent);
      await api.client.resource(PODS).create('default', pod('hello', { nodeName: 'node-2' }));
      await eventually(async () => statusOf(await api.client.resource(PODS).get('default', 'hello')).phase === 'Running', 'running');
      assert.equal(await text(await localLogSource('node-2')!.logs('default', 'hello', {})), 'simulated container app started\n');
    } finally {
      await running.stop();
    }
    assert.equal(localLogSource('node-2'), undefined);
  });

  it('registers 2,000 simulated nodes with their leases (time reported, not asserted)', async (t) => {
    const started = Date.now();
    const running = await startInProcessAgent(api.client, { nodes: 2000, namePrefix: 'scale', recordEvents: false, log: silentLogger });
    const elapsed = Date.now() - started;
    try {
      const nodes = await api.client.resource(NODES).list(undefined, { labelSelector: 'type=simulated' });
      assert.equal(nodes.items.filter((n) => n.metadata.name!.startsWith('scale-')).length, 2000);
      assert.equal((await api.client.resource(LEASES).list('kube-node-lease')).items.filter((l) => l.metadata.name!.startsWith('scale-')).length, 2000);
      const s = running.agent.stats;
      t.diagnostic(`2000 nodes registered in ${elapsed} ms (${s.nodeWrites} node writes, ${s.leaseWrites} lease writes)`);
    } finally {
      await running.stop();
    }
  });
});
