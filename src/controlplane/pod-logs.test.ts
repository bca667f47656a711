import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
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

// The API server's identity towards agents, and what agents accept.
const AGENT_TOKEN = 'apiserver-to-agents';
const users: Record<string, UserInfo> = {
  admin: { username: 'admin', groups: ['system:masters', 'system:authenticated'], extra: {} },
  [AGENT_TOKEN]: { username: 'system:workplane:apiserver', groups: ['system:masters', 'system:authenticated'], extra: {} },
};
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
  const custom = new CustomHandlers();
  registerPodLogsHandler(custom, {
    registry: api.registry,
    localSource: (node) => (node === 'local' ? localSource : undefined),
    remoteToken: async () => AGENT_TOKEN,
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

  // A remote agent: its log server admits the API server after asking it with a TokenReview.
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
    verify: async (token) => {
      const status = await tokenReview(token);
      return status.authenticated === true && (status.user as UserInfo).username === 'system:workplane:apiserver';
    },
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

  it('proxies to a remote agent’s log server, which admits the API server through a TokenReview', async () => {
    const r = await get('/api/v1/namespaces/default/pods/far/log?previous=true&limitBytes=100');
    assert.equal(r.status, 200, r.body);
    assert.equal(r.body, 'remote default/far/app\n');
    assert.deepEqual(asked.at(-1)!.opts, { previous: true, limitBytes: 100, container: 'app' });
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
