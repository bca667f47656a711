import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { UserInfo } from '../security/user-info.js';
import { badRequest } from '../api/errors.js';
import type { KObject } from '../api/object.js';
import { nodeDefinition, podDefinition } from '../api/core/index.js';
import { ApiMetrics } from '../apiserver/metrics.js';
import { OpenApiPublisher } from '../apiserver/openapi.js';
import { CustomHandlers } from '../apiserver/resource-handler.js';
import { ApiServer } from '../apiserver/server.js';
import { startLogServer, type LogServer } from '../agent/log-server/log-server.js';
import type { LogRequest, LogSource } from '../agent/log-source.js';
import { startTestApi, type TestApi } from '../client/testing.js';
import type { WriteOptions } from '../registry/write-pipeline.js';
import type { Authenticator } from '../security/authenticator.js';
import { registerPodLogsHandler } from './pod-logs.js';
import { registerTokenReviewHandler, tokenReviewDefinition } from './token-review.js';
import { createCertificateAuthority } from '../security/ca.js';
import { ClusterSigner } from '../security/cluster-signer.js';
import { createCsr } from '../security/csr.js';
import type { CertKeyPem } from '../security/keys.js';
import { issueServingCert } from '../security/serving-cert.js';
import { kubeletClientCertificate } from './kubelet-client.js';

const AGENT_TOKEN = 'apiserver-to-agents';
const users: Record<string, UserInfo> = {
  admin: { username: 'admin', groups: ['system:masters', 'system:authenticated'], extra: {} },
  [AGENT_TOKEN]: { username: 'system:workplane:apiserver', groups: ['system:masters', 'system:authenticated'], extra: {} },
};

/** A node serving certificate from the cluster CA, as the CSR signer issues it. */
async function nodeServingCert(signer: ClusterSigner, node: string): Promise<CertKeyPem> {
  const { csrPem, keyPem } = await createCsr({ commonName: `system:node:${node}`, organizations: ['system:nodes'], hosts: ['127.0.0.1'] });
  return { certPem: await signer.sign(csrPem, { profile: 'serving', validitySeconds: 3600 }), keyPem };
}

/** An HTTPS server posing as a node's log endpoint; it records every request it gets. */
async function fakeNode(tls: CertKeyPem, seen: { authorization?: string; path?: string }[]): Promise<HttpsServer> {
  const s = createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    seen.push({ authorization: req.headers.authorization, path: req.url });
    res.end('stolen\n');
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return s;
}
const authenticator: Authenticator = {
  async authenticate(h) {
    const token = /^Bearer (\S+)$/.exec(h ?? '')?.[1];
    return (token && users[token]) || null;
  },
};

let api: TestApi;
let http: Server;
let base: string;
let agent: LogServer;
let signer: ClusterSigner;
const fakes: HttpsServer[] = [];
const asked: { node: string; ns: string; pod: string; opts: LogRequest }[] = [];
let follower: PassThrough | undefined;

/** The in-process agent of node `local`. */
const localSource: LogSource = {
  async logs(ns, pod, opts) {
    asked.push({ node: 'local', ns, pod, opts });
    if (opts.container === 'waiting') throw badRequest(`container "waiting" in pod "${pod}" is waiting to start: ContainerCreating`);
    if (opts.follow) return (follower = new PassThrough());
    return Readable.from([`local ${ns}/${pod}/${opts.container}\n`]);
  },
};

function get(path: string, token = 'admin'): Promise<{ status: number; type?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` } }, async (res) => {
      let body = '';
      for await (const c of res) body += String(c);
      resolve({ status: res.statusCode!, type: res.headers['content-type'], body });
    });
    req.on('error', reject);
    req.end();
  });
}

async function tokenReview(token: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}/apis/authentication.k8s.io/v1/tokenreviews`, {
    method: 'POST',
    headers: { Authorization: 'Bearer admin', 'Content-Type': 'application/json' },
    body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } }),
  });
  assert.equal(res.status, 201);
  return ((await res.json()) as { status: Record<string, unknown> }).status;
}

const opts: WriteOptions = { user: users.admin!, dryRun: false, fieldManager: 'test' };

async function createPod(name: string, spec: Record<string, unknown>): Promise<void> {
  await api.registry.lookup('', 'v1', 'pods')!.create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec } as KObject, opts);
}

async function createNode(name: string, status: Record<string, unknown>): Promise<void> {
  const nodes = api.registry.lookup('', 'v1', 'nodes')!;
  await nodes.create(undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name } } as KObject, opts);
  await nodes.update(undefined, name, (cur) => ({ ...cur!, status }), { ...opts, subresource: 'status' });
}

const containers = (...names: string[]) => names.map((name) => ({ name, image: 'busybox' }));

before(async () => {
  api = await startTestApi([podDefinition, nodeDefinition, tokenReviewDefinition]);
  const ca = await createCertificateAuthority();
  signer = new ClusterSigner(ca.certPem, ca.keyPem);
  const custom = new CustomHandlers();
  registerPodLogsHandler(custom, {
    registry: api.registry,
    localSource: (node) => (node === 'local' ? localSource : undefined),
    nodeClient: { caPem: ca.certPem, clientCertificate: kubeletClientCertificate(signer) },
  });
  registerTokenReviewHandler(custom, authenticator);
  const server = new ApiServer({
    registry: api.registry,
    authenticator,
    openapi: new OpenApiPublisher(() => []),
    metrics: new ApiMetrics(false),
    logger: pino({ level: 'silent' }),
    version: { major: '1', minor: '32', gitVersion: 'v1.32.0' },
    custom,
    ready: () => true,
    serverAddress: () => '127.0.0.1',
  });
  http = createServer(server.handle);
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

  // A remote agent: it serves node `remote`'s certificate and admits the API server's client certificate.
  const remoteSource: LogSource = {
    async logs(ns, pod, o) {
      asked.push({ node: 'remote', ns, pod, opts: o });
      return Readable.from([`remote ${ns}/${pod}/${o.container}\n`]);
    },
  };
  agent = await startLogServer({
    source: remoteSource,
    host: '127.0.0.1',
    port: 0,
    clientCaPem: ca.certPem,
    certificates: new Map([['remote', await nodeServingCert(signer, 'remote')]]),
  });
  await createNode('remote', {
    addresses: [
      { type: 'Hostname', address: 'remote' },
      { type: 'InternalIP', address: '127.0.0.1' },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: agent.port } },
  });
  await createNode('portless', { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }] });
  await createPod('web', { nodeName: 'local', containers: containers('web') });
  await createPod('multi', { nodeName: 'local', initContainers: containers('init'), containers: containers('a', 'b') });
  await createPod('pending', { containers: containers('web') });
  await createPod('far', { nodeName: 'remote', containers: containers('app') });
  await createPod('lost', { nodeName: 'portless', containers: containers('app') });
  await createPod('ghost', { nodeName: 'nowhere', containers: containers('app') });
});

after(async () => {
  await agent.stop();
  for (const f of fakes) f.close();
  await new Promise((r) => http.close(r));
  await api.close();
});

describe('pods/log', () => {
  it('streams text from the in-process agent, defaulting the only container', async () => {
    const r = await get('/api/v1/namespaces/default/pods/web/log?tailLines=10&timestamps=true');
    assert.equal(r.status, 200);
    assert.equal(r.type, 'text/plain');
    assert.equal(r.body, 'local default/web/web\n');
    assert.deepEqual(asked.at(-1), { node: 'local', ns: 'default', pod: 'web', opts: { timestamps: true, tailLines: 10, container: 'web' } });
  });

  it('asks for a container name when the pod has several, and rejects unknown ones', async () => {
    const r = await get('/api/v1/namespaces/default/pods/multi/log');
    assert.equal(r.status, 400);
    assert.equal(JSON.parse(r.body).message, 'a container name must be specified for pod multi, choose one of: [init a b]');
    const bad = await get('/api/v1/namespaces/default/pods/multi/log?container=c');
    assert.equal(JSON.parse(bad.body).message, 'container c is not valid for pod multi');
    assert.equal((await get('/api/v1/namespaces/default/pods/multi/log?container=init')).body, 'local default/multi/init\n');
  });

  it('404 for a missing pod, 204 for a pod not on a node yet, 422 for bad options', async () => {
    const missing = await get('/api/v1/namespaces/default/pods/nope/log');
    assert.equal(missing.status, 404);
    assert.equal(JSON.parse(missing.body).message, 'pods "nope" not found');
    assert.equal((await get('/api/v1/namespaces/default/pods/pending/log')).status, 204);
    const invalid = await get('/api/v1/namespaces/default/pods/web/log?tailLines=-1');
    assert.equal(invalid.status, 422);
    assert.equal(JSON.parse(invalid.body).message, 'PodLogOptions "web" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0');
  });

  it('passes the agent’s errors on as Status', async () => {
    await createPod('slow', { nodeName: 'local', containers: containers('waiting') });
    const r = await get('/api/v1/namespaces/default/pods/slow/log');
    assert.equal(r.status, 400);
    assert.equal(JSON.parse(r.body).message, 'container "waiting" in pod "slow" is waiting to start: ContainerCreating');
  });

  it('proxies to a remote agent’s log server, which admits the API server by its client certificate', async () => {
    const r = await get('/api/v1/namespaces/default/pods/far/log?previous=true&limitBytes=100');
    assert.equal(r.status, 200, r.body);
    assert.equal(r.body, 'remote default/far/app\n');
    assert.deepEqual(asked.at(-1)!.opts, { previous: true, limitBytes: 100, container: 'app' });
  });

  it('sends no credential to an address a Node names unless the node proves itself, and fails cleanly', async () => {
    const seen: { authorization?: string; path?: string }[] = [];
    // Someone rewrote a Node's status to point at their own server: a certificate of another CA...
    const other = await createCertificateAuthority({ commonName: 'evil-ca' });
    const impostor = await fakeNode(await issueServingCert(other, ['127.0.0.1']), seen);
    // ...or a genuine cluster certificate, but another node's (a compromised node posing as this one).
    const neighbour = await fakeNode(await nodeServingCert(signer, 'neighbour'), seen);
    fakes.push(impostor, neighbour);
    const status = (s: HttpsServer) => ({ addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: (s.address() as AddressInfo).port } } });
    await createNode('hijacked', status(impostor));
    await createNode('victim', status(neighbour));
    await createPod('hijacked-pod', { nodeName: 'hijacked', containers: containers('app') });
    await createPod('victim-pod', { nodeName: 'victim', containers: containers('app') });

    const a = await get('/api/v1/namespaces/default/pods/hijacked-pod/log');
    assert.equal(a.status, 500);
    assert.match(JSON.parse(a.body).message, /^Internal error occurred: Get "https:\/\/127\.0\.0\.1:\d+\/containerLogs\/default\/hijacked-pod\/app": .*(self.signed|unable to verify|local issuer)/);
    const b = await get('/api/v1/namespaces/default/pods/victim-pod/log');
    assert.equal(b.status, 500);
    assert.match(JSON.parse(b.body).message, /certificate is for "system:node:neighbour", not node "system:node:victim"/);
    assert.deepEqual(seen, [], 'neither server got a request, let alone a token');
  });

  it('reports nodes it cannot reach', async () => {
    const lost = await get('/api/v1/namespaces/default/pods/lost/log');
    assert.equal(lost.status, 400);
    assert.match(JSON.parse(lost.body).message, /node portless does not serve container logs/);
    const ghost = await get('/api/v1/namespaces/default/pods/ghost/log');
    assert.equal(ghost.status, 404);
    assert.equal(JSON.parse(ghost.body).message, 'nodes "nowhere" not found');
  });

  it('follow keeps the response open and releases the source when the client leaves', async () => {
    const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      const req = request(`${base}/api/v1/namespaces/default/pods/web/log?follow=true`, { headers: { Authorization: 'Bearer admin' } }, resolve);
      req.on('error', reject);
      req.end();
    });
    assert.equal(res.statusCode, 200); // headers arrive before any log line
    const src = follower!;
    src.write('one\n');
    const first = await new Promise<string>((r) => res.once('data', (c) => r(String(c))));
    assert.equal(first, 'one\n');
    const closed = new Promise((r) => src.once('close', r));
    res.destroy();
    await closed;
  });
});

describe('TokenReview', () => {
  it('answers with the user a token belongs to', async () => {
    const ok = await tokenReview(AGENT_TOKEN);
    assert.deepEqual(ok, { authenticated: true, user: { username: 'system:workplane:apiserver', groups: ['system:masters', 'system:authenticated'] } });
    assert.deepEqual(await tokenReview('forged'), { user: {}, error: 'invalid bearer token' });
  });
});
