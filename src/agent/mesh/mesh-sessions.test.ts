// MeshSessions against a real control plane (in-process, with its DP server):
// one agent over the in-process client (tokens from the TokenIssuer) and one
// over HTTP (TokenRequest), each holding the streams of its own meshed pods.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KObject } from '../../api/object.js';
import { HttpClient } from '../../client/http-client.js';
import { InProcessClient } from '../../client/in-process-client.js';
import { silentLogger } from '../../client/logger.js';
import { eventually } from '../../client/testing.js';
import { startControlPlane, type ControlPlane } from '../../controlplane/control-plane.js';
import { serveOptions } from '../../controlplane/options.js';
import type { ControlPlaneMessage } from '../../dp/protocol/messages.js';
import { DP_SERVER_CONFIGMAP, publishDpServerAddress, readDpServerAddress, type PublishedDpServer } from '../../dp/server/published-address.js';
import { TokenIssuer } from '../../security/token-issuer.js';
import { startInProcessAgent, type InProcessAgent } from '../in-process.js';
import { NodeAgent } from '../node-agent.js';
import { SimulatedRuntime } from '../runtime/simulated-runtime.js';
import { HttpTokenSource } from './http-token-source.js';
import { InProcessTokenSource } from './in-process-token-source.js';

const PODS = { group: '', version: 'v1', resource: 'pods' };
const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces' };
const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps' };
const WORKLOADS = { group: 'kuma.io', version: 'v1alpha1', resource: 'workloads' };
const LIMIT_MS = 30_000;
const statusOf = (o: KObject | undefined) => (o?.status ?? {}) as Record<string, unknown>;

const pod = (namespace: string, name: string, nodeName: string): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, annotations: { 'kuma.io/workload': 'web' } },
  spec: { nodeName, containers: [{ name: 'web', image: 'web:1', ports: [{ containerPort: 8080 }] }] },
});

describe('MeshSessions', { timeout: 120_000 }, () => {
  let dataDir: string;
  let cp: ControlPlane;
  let client: InProcessClient;
  let local: InProcessAgent;
  let http: HttpClient;
  let remote: NodeAgent;
  let remoteRuntime: SimulatedRuntime;
  const hooked: string[] = [];

  const counts = async () => JSON.stringify(statusOf(await client.resource(WORKLOADS).get('mesh-a', 'web')).dataplaneProxies ?? null);
  const reaches = (want: Record<string, number>) => eventually(async () => (await counts()) === JSON.stringify(want), `workload web ${JSON.stringify(want)}`, LIMIT_MS);

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'workplane-mesh-sessions-'));
    cp = await startControlPlane(serveOptions({ dataDir, storage: 'memory' }));
    client = new InProcessClient(cp.registry, { log: silentLogger });
    const issuer = await TokenIssuer.loadOrCreate(dataDir);
    local = await startInProcessAgent(client.withOptions({ fieldManager: 'local-agent' }), { nodes: 1, namePrefix: 'local', log: silentLogger, mesh: { issuer } });
    http = await HttpClient.connect({ server: cp.url, token: cp.adminToken, caPem: cp.caPem });
    remoteRuntime = new SimulatedRuntime();
    const hooks = (p: KObject) => ({
      onMessage: (m: ControlPlaneMessage) => void ('ack' in m && hooked.push(`ack ${p.metadata.name}`)),
      attach: () => void hooked.push(`attach ${p.metadata.name}`),
    });
    const mesh = { tokens: new HttpTokenSource(http.transport), hooks };
    remote = new NodeAgent(http, { runtime: remoteRuntime, nodes: 1, namePrefix: 'remote', log: silentLogger, mesh });
    await remote.start();
    const ns = (name: string, labels: Record<string, string> = {}) => client.resource(NAMESPACES).create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
    await ns('mesh-a', { 'kuma.io/sidecar-injection': 'enabled' });
    await ns('plain');
  });

  after(async () => {
    await remote?.stop();
    await remoteRuntime?.close();
    http?.close();
    await local?.stop();
    await cp?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('holds a stream for each meshed Running pod on its own nodes, over either client', async () => {
    await client.resource(PODS).create('mesh-a', pod('mesh-a', 'a-0', 'local-0'));
    await client.resource(PODS).create('mesh-a', pod('mesh-a', 'a-1', 'remote-0'));
    await client.resource(PODS).create('plain', pod('plain', 'p-0', 'local-0'));
    await reaches({ connected: 2, healthy: 2, total: 2 });
    // The server records a connect before the agent sees its ack.
    await eventually(() => !!local.agent.mesh?.has('mesh-a', 'a-0') && !!remote.mesh?.has('mesh-a', 'a-1'), 'sessions held', LIMIT_MS);
    assert.equal(local.agent.mesh?.has('mesh-a', 'a-1'), false, 'another node\'s pod is not ours');
    assert.deepEqual(hooked, ['ack a-1', 'attach a-1'], 'hooks see the stream of their pod');
    await eventually(async () => statusOf(await client.resource(PODS).get('plain', 'p-0')).phase === 'Running', 'plain pod running', LIMIT_MS);
    assert.equal(local.agent.mesh?.has('plain', 'p-0'), false, 'a pod without a Dataplane has no stream');
  });

  it('asks for tokens of the pod\'s ServiceAccount, bound to the pod, over HTTP and in process', async () => {
    const p = (await client.resource(PODS).get('mesh-a', 'a-1'))!;
    const issuer = await TokenIssuer.loadOrCreate(dataDir);
    for (const source of [new HttpTokenSource(http.transport), new InProcessTokenSource(client, issuer)]) {
      const t = await source.token(p);
      const user = await issuer.verify(t.token);
      assert.equal(user?.username, 'system:serviceaccount:mesh-a:default');
      assert.deepEqual(user?.extra?.['authentication.kubernetes.io/pod-name'], ['a-1']);
      assert.deepEqual(user?.extra?.['authentication.kubernetes.io/pod-uid'], [p.metadata.uid]);
      assert.ok(t.expiresAt > Date.now() + 3000_000, 'about an hour');
    }
  });

  it('closes the stream of a pod that goes away', async () => {
    await client.resource(PODS).delete('mesh-a', 'a-0');
    await eventually(() => local.agent.mesh?.has('mesh-a', 'a-0') === false, 'a-0 session closed', LIMIT_MS);
    await reaches({ connected: 1, healthy: 1, total: 1 });
  });

  it('drops every stream while no DP server is published, and reconnects once one is', async () => {
    const published = (await readDpServerAddress(client)) as PublishedDpServer;
    assert.ok(published);
    await client.resource(CONFIGMAPS).delete('kuma-system', DP_SERVER_CONFIGMAP);
    await eventually(() => remote.mesh?.size === 0, 'remote sessions closed', LIMIT_MS);
    await reaches({ connected: 0, healthy: 1, total: 1 });
    await publishDpServerAddress(client, published.address, published.caPem);
    await reaches({ connected: 1, healthy: 1, total: 1 });
    await eventually(() => remote.mesh?.has('mesh-a', 'a-1') === true, 'a-1 session reopened', LIMIT_MS);
  });
});
