import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApiError, isNotFound } from '../api/errors.js';
import type { KObject } from '../api/object.js';
import { createCertificateAuthority } from '../security/ca.js';
import { renderKubeconfig } from '../security/kubeconfig.js';
import { issueServingCert } from '../security/serving-cert.js';
import { writeSecretFile } from '../security/secret-file.js';
import { HttpClient } from './http-client.js';
import { Informer } from './informer.js';
import { loadKubeconfig } from './kubeconfig.js';
import { silentLogger } from './logger.js';
import { eventually, GIZMOS, startTestApi, widget, WIDGETS, type TestApi } from './testing.js';
import type { PatchType } from './types.js';

const TOKEN = 't0k';

/** A tiny API server: routes REST calls to the in-process client of a real registry. */
function fakeApi(api: TestApi): (req: IncomingMessage, res: ServerResponse) => void {
  const send = (res: ServerResponse, code: number, body: unknown) => {
    res.writeHead(code, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(res, 401, new ApiError(401, 'Unauthorized', 'Unauthorized').toStatus());
    const url = new URL(req.url!, 'http://x');
    const q = url.searchParams;
    const parts = url.pathname.split('/').filter(Boolean);
    const stores = api.registry.all();
    const resources = (g: string, v: string) =>
      stores.filter((s) => s.def.group === g && s.def.version === v).map((s) => ({ name: s.def.plural, kind: s.def.kind, namespaced: s.def.namespaced, verbs: s.def.verbs }));
    if (url.pathname === '/apis') {
      const groups = [...new Set(stores.map((s) => s.def.group).filter(Boolean))].map((name) => ({ name, versions: [{ groupVersion: `${name}/v1`, version: 'v1' }], preferredVersion: { version: 'v1' } }));
      return send(res, 200, { kind: 'APIGroupList', groups });
    }
    const core = parts[0] === 'api';
    const [group, version] = core ? ['', parts[1]] : [parts[1], parts[2]];
    let rest = parts.slice(core ? 2 : 3);
    if (rest.length === 0) return send(res, 200, { kind: 'APIResourceList', resources: resources(group, version) });
    let ns: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) [ns, rest] = [rest[1], rest.slice(2)];
    const [resource, name, sub] = rest;
    const rc = api.client.resource({ group, version, resource });
    let body: unknown;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (chunks.length) body = JSON.parse(Buffer.concat(chunks).toString());
    const wo = { fieldManager: q.get('fieldManager') ?? undefined, dryRun: q.get('dryRun') === 'All', force: q.get('force') === 'true' };
    if (req.method === 'GET' && name) {
      const o = await rc.get(ns, name);
      return o ? send(res, 200, o) : send(res, 404, new ApiError(404, 'NotFound', `${resource} "${name}" not found`).toStatus());
    }
    if (req.method === 'GET' && q.get('watch') === 'true') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (q.get('resourceVersion') === '1') {
        res.end(`${JSON.stringify({ type: 'ERROR', object: new ApiError(410, 'Expired', 'too old resource version: 1').toStatus() })}\n`);
        return;
      }
      const w = rc.watch(ns, { resourceVersion: q.get('resourceVersion') ?? undefined }, {
        onEvent: (type, object) => res.write(`${JSON.stringify({ type, object })}\n`),
        onClose: () => res.end(),
      });
      res.on('close', () => w.stop());
      return;
    }
    if (req.method === 'GET') {
      const r = await rc.list(ns, { labelSelector: q.get('labelSelector') ?? undefined });
      // Real servers leave kind/apiVersion off list items.
      const items = r.items.map(({ kind: _k, apiVersion: _a, ...o }) => o);
      return send(res, 200, { kind: 'List', apiVersion: 'v1', metadata: { resourceVersion: r.resourceVersion }, items });
    }
    if (req.method === 'POST') return send(res, 201, await rc.create(ns, body as KObject, wo));
    if (req.method === 'PUT') return send(res, 200, await rc.update(ns, body as KObject, { ...wo, subresource: sub }));
    if (req.method === 'PATCH') {
      const type = ({ 'application/merge-patch+json': 'merge', 'application/json-patch+json': 'json' } as Record<string, PatchType>)[req.headers['content-type']!];
      return send(res, 200, await rc.patch(ns, name, type, body, wo));
    }
    if (req.method === 'DELETE') return send(res, 200, await rc.delete(ns, name, body as never));
    send(res, 405, new ApiError(405, 'MethodNotAllowed', 'no').toStatus());
  };
  return (req, res) => {
    handle(req, res).catch((e) => send(res, (e as ApiError).code ?? 500, e instanceof ApiError ? e.toStatus() : { message: String(e) }));
  };
}

const listen = async (server: Server | HttpsServer) => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as AddressInfo).port;
};

const shut = (server: Server | HttpsServer) =>
  new Promise<void>((r) => {
    server.close(() => r());
    server.closeAllConnections();
  });

describe('HttpClient', () => {
  let api: TestApi;
  let server: Server;
  let url: string;
  let client: HttpClient;
  before(async () => {
    api = await startTestApi();
    server = createServer(fakeApi(api));
    url = `http://127.0.0.1:${await listen(server)}`;
    client = await HttpClient.connect({ server: url, token: TOKEN, fieldManager: 'http-test' });
  });
  after(async () => {
    client.close();
    await shut(server);
    await api.close();
  });

  it('maps kinds and resources from discovery', () => {
    const w = client.resource(WIDGETS);
    assert.equal(w.kind, 'Widget');
    assert.equal(w.namespaced, true);
    assert.equal(client.forKind('test.workplane.dev/v1', 'Gizmo')?.gvr.resource, GIZMOS.resource);
    assert.equal(client.forKind('test.workplane.dev/v1', 'Gizmo')?.namespaced, false);
    assert.equal(client.forKind('v1', 'Nothing'), undefined);
    assert.equal(client.resources().length, 2);
    assert.throws(() => client.resource({ group: 'x', version: 'v1', resource: 'nope' }), (e: ApiError) => e.code === 404);
  });

  it('creates, reads, lists, updates, patches and deletes; errors are ApiErrors rebuilt from Status', async () => {
    const rc = client.resource(WIDGETS);
    const created = await rc.create('h1', widget('h1', 'a', { spec: { n: 1 } }));
    assert.equal(created.metadata.managedFields?.[0]?.manager, 'http-test');
    assert.equal((await rc.get('h1', 'a'))?.metadata.uid, created.metadata.uid);
    assert.equal(await rc.get('h1', 'missing'), undefined);
    const list = await rc.list('h1');
    assert.equal(list.items.length, 1);
    assert.equal(list.items[0].kind, 'Widget');
    assert.equal(list.items[0].apiVersion, 'test.workplane.dev/v1');
    assert.ok(list.resourceVersion);
    const updated = await rc.update('h1', { ...created, spec: { n: 2 } });
    await assert.rejects(rc.update('h1', { ...created, spec: { n: 3 } }), (e: ApiError) => e instanceof ApiError && e.code === 409 && e.reason === 'Conflict');
    const patched = await rc.patch('h1', 'a', 'merge', { spec: { m: true } });
    assert.deepEqual(patched.spec, { n: 2, m: true });
    assert.notEqual(patched.metadata.resourceVersion, updated.metadata.resourceVersion);
    await rc.delete('h1', 'a');
    await assert.rejects(rc.delete('h1', 'a'), (e: unknown) => isNotFound(e));
  });

  it('watches over chunked NDJSON and reports 410 as expired', async () => {
    const rc = client.resource(WIDGETS);
    const { resourceVersion } = await rc.list('h2');
    const events: string[] = [];
    const w = rc.watch('h2', { resourceVersion }, { onEvent: (t, o) => events.push(`${t} ${o.metadata.name}`), onClose: () => {} });
    await rc.create('h2', widget('h2', 'x'));
    await eventually(() => events.length === 1, 'watch event');
    assert.deepEqual(events, ['ADDED x']);
    w.stop();
    const closed = await new Promise<Error & { expired?: boolean }>((resolve) => {
      rc.watch('h2', { resourceVersion: '1' }, { onEvent: () => {}, onClose: (err) => resolve(err!) });
    });
    assert.equal(closed.expired, true);
    assert.equal((closed as ApiError).code, 410);
  });

  it('feeds an informer', async () => {
    const rc = client.resource(WIDGETS);
    await rc.create('h3', widget('h3', 'before'));
    const inf = new Informer(rc, { namespace: 'h3', log: silentLogger });
    const ac = new AbortController();
    const done = inf.start(ac.signal);
    await inf.waitForSync();
    assert.ok(inf.get('h3', 'before'));
    await rc.create('h3', widget('h3', 'after'));
    await eventually(() => inf.get('h3', 'after') !== undefined, 'watched add');
    ac.abort();
    await done;
  });

  it('rejects a wrong token with 401 and reads kubeconfig files', async () => {
    await assert.rejects(HttpClient.connect({ server: url, token: 'wrong' }), (e: ApiError) => e.code === 401 && e.reason === 'Unauthorized');
    const dir = await mkdtemp(join(tmpdir(), 'wp-kubeconfig-'));
    try {
      const path = join(dir, 'kubeconfig');
      await writeSecretFile(path, renderKubeconfig({ server: url, caPem: 'CA PEM', token: TOKEN, namespace: 'team' }));
      assert.deepEqual(await loadKubeconfig(path), { server: url, caPem: 'CA PEM', token: TOKEN, namespace: 'team' });
      const c = await HttpClient.fromKubeconfig(path);
      assert.equal(c.resource(WIDGETS).kind, 'Widget');
      c.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('speaks HTTPS pinned to the cluster CA', async () => {
    const ca = await createCertificateAuthority();
    const serving = await issueServingCert(ca, ['127.0.0.1']);
    const tls = createHttpsServer({ cert: serving.certPem, key: serving.keyPem }, fakeApi(api));
    const port = await listen(tls);
    try {
      const c = await HttpClient.connect({ server: `https://127.0.0.1:${port}`, token: TOKEN, caPem: ca.certPem });
      await c.resource(WIDGETS).create('tls', widget('tls', 'secure'));
      assert.ok(await c.resource(WIDGETS).get('tls', 'secure'));
      c.close();
      const other = await createCertificateAuthority();
      await assert.rejects(HttpClient.connect({ server: `https://127.0.0.1:${port}`, token: TOKEN, caPem: other.certPem }));
    } finally {
      await shut(tls);
    }
  });
});
