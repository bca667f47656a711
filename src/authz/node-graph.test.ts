import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podDefinition } from '../api/core/index.js';
import { startTestApi } from '../client/testing.js';
import { NodeGraph } from './node-graph.js';

const PODS = { group: '', version: 'v1', resource: 'pods' };

test('follows pods: binding grants, a second pod keeps, deletion and rebinding revoke', async () => {
  const api = await startTestApi([podDefinition]);
  const pods = api.client.resource(PODS);
  const spec = (nodeName?: string) => ({
    ...(nodeName ? { nodeName } : {}),
    serviceAccountName: 'robot',
    volumes: [{ name: 'v', secret: { secretName: 'tls' } }, { name: 'p', projected: { sources: [{ configMap: { name: 'cfg' } }] } }],
    containers: [{ name: 'c', image: 'x', env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'db', key: 'k' } } }], envFrom: [{ configMapRef: { name: 'env' } }] }],
  });
  await pods.create('ns', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'early' }, spec: spec('n1') });
  const graph = new NodeGraph(api.cache, api.registry.lookup('', 'v1', 'pods')!.cd.prefix);
  try {
    for (const [kind, name] of [['secrets', 'tls'], ['secrets', 'db'], ['configmaps', 'cfg'], ['configmaps', 'env'], ['serviceaccounts', 'robot']] as const) {
      assert.ok(graph.references('n1', kind, 'ns', name), `${kind}/${name} from a pod listed before the graph started`);
    }
    assert.equal(graph.references('n2', 'secrets', 'ns', 'tls'), false);
    assert.equal(graph.references('n1', 'secrets', 'other', 'tls'), false);

    await pods.create('ns', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'second' }, spec: spec('n1') });
    await pods.delete('ns', 'early', { gracePeriodSeconds: 0 });
    assert.ok(graph.references('n1', 'secrets', 'ns', 'db'), 'still named by the second pod');
    await pods.delete('ns', 'second', { gracePeriodSeconds: 0 });
    assert.equal(graph.references('n1', 'secrets', 'ns', 'db'), false, 'gone with the last pod');

    await pods.create('ns', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'unbound' }, spec: spec() });
    assert.equal(graph.references('n1', 'configmaps', 'ns', 'cfg'), false, 'an unscheduled pod grants nothing');
  } finally {
    graph.stop();
    await api.close();
  }
});
