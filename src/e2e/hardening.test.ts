// The API server against hostile and careless clients, end to end over real
// TLS: requests that used to crash the process (bad escapes, bad absolute
// targets, prototype-polluting bodies, huge numbers, deep nesting) get a 4xx
// Status and change nothing; slow clients are cut off; watches outlive the
// request timeout; legacy watch paths and kube's query decoding work; every
// object a verb returns carries apiVersion and kind; the data dir is private.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startControlPlane, type ControlPlane } from '../controlplane/control-plane.js';
import { serveOptions } from '../controlplane/options.js';
import { MAX_NESTING_DEPTH } from '../api/untrusted-json.js';
import { httpRequest, rawTls, rawWatch, type Target } from './support/raw-http.js';

const proto = Object.prototype as Record<string, unknown>;
const assertClean = () => {
  for (const k of ['x', 'polluted', 'admin']) assert.equal(proto[k], undefined, `Object.prototype.${k} is set`);
};

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('API server hardening', () => {
  let cp: ControlPlane;
  let dir: string;
  let t: Target;
  const cms = '/api/v1/namespaces/default/configmaps';
  const send = (method: string, path: string, body?: unknown, contentType = 'application/json') =>
    httpRequest(t, method, path, body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body), { headers: { 'Content-Type': contentType } });
  const ready = async () => assert.equal((await httpRequest(t, 'GET', '/readyz', undefined, { anonymous: true })).status, 200);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wp-harden-'));
    cp = await startControlPlane(
      serveOptions({
        dataDir: dir,
        storage: 'sqlite',
        apiOnly: true,
        runtimeConfig: { 'example.workplane.dev/v1': true },
        httpLimits: { headersTimeoutMs: 1500, requestTimeoutMs: 1500, checkIntervalMs: 200 },
      }),
    );
    t = { url: cp.url, caPem: cp.caPem, adminToken: cp.adminToken };
    assert.equal((await send('POST', cms, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '1' } })).status, 201);
    // No controllers run here (apiOnly), so the default service account pods need is made by hand.
    assert.equal((await send('POST', '/api/v1/namespaces/default/serviceaccounts', { metadata: { name: 'default' } })).status, 201);
  });

  after(async () => {
    await cp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers bad escapes and bad absolute targets with 400, with or without credentials', async () => {
    for (const anonymous of [true, false]) {
      for (const path of ['/%ZZ', '/api/v1/namespaces/%ZZ/configmaps', '/apis/%/v1/x']) {
        const r = await httpRequest(t, 'GET', path, undefined, { anonymous });
        assert.equal(r.status, 400, path);
        assert.equal(r.json.kind, 'Status');
        assert.equal(r.json.reason, 'BadRequest');
      }
    }
    const abs = await rawTls(t, ['GET http://[/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n']);
    assert.equal(abs.status, 400);
    const garbage = await rawTls(t, ['\x00\x01 nonsense\r\n\r\n']);
    assert.equal(garbage.status, 400);
    assert.ok(garbage.closed);
    await ready();
  });

  it('refuses __proto__ in every body and patch type, writes nothing, and the process lives', async () => {
    const before = (await send('GET', `${cms}/x`)).json.metadata.resourceVersion;
    const cm = `${cms}/x`;
    const attempts: [string, string, string, string][] = [
      ['PATCH', cm, 'application/merge-patch+json', '{"data":{"__proto__":{"x":"1"}}}'],
      ['PATCH', cm, 'application/merge-patch+json', '{"metadata":{"__proto__":{"x":"1"}}}'],
      ['PATCH', cm, 'application/merge-patch+json', '{"__proto__":{"x":"1"}}'],
      ['PATCH', cm, 'application/strategic-merge-patch+json', '{"data":{"__proto__":{"x":"1"}}}'],
      ['PATCH', cm, 'application/json-patch+json', '[{"op":"add","path":"/metadata/__proto__/x","value":"1"}]'],
      ['PATCH', cm, 'application/json-patch+json', '[{"op":"add","path":"/data/y","value":{"__proto__":{"x":1}}}]'],
      ['PATCH', `${cm}?fieldManager=m`, 'application/apply-patch+yaml', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"data":{"__proto__":{"x":"1"}}}'],
      ['PATCH', `${cm}?fieldManager=m`, 'application/apply-patch+yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  __proto__:\n    x: "1"\n'],
      ['PUT', cm, 'application/json', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"__proto__":{"x":"1"}}'],
      ['POST', cms, 'application/json', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"y","labels":{"__proto__":{"x":"1"}}}}'],
      ['POST', cms, 'application/yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: z}\ndata: {"__proto__": {x: "1"}}\n'],
    ];
    for (const [method, path, type, body] of attempts) {
      const r = await send(method, path, body, type);
      assert.equal(r.status, 400, `${method} ${type} ${body}: ${r.text}`);
      assert.match(r.json.message, /__proto__/);
      assertClean();
    }
    // A strategic merge patch on a Pod, whose schema carries merge keys.
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] } };
    const made = await send('POST', '/api/v1/namespaces/default/pods', pod);
    assert.equal(made.status, 201, made.text);
    const smp = await send('PATCH', '/api/v1/namespaces/default/pods/p', '{"spec":{"containers":[{"name":"c","__proto__":{"x":1}}]}}', 'application/strategic-merge-patch+json');
    assert.equal(smp.status, 400);
    assertClean();
    assert.equal((await send('GET', `${cms}/x`)).json.metadata.resourceVersion, before);
    assert.equal((await send('GET', `${cms}/y`)).status, 404);
    await ready();
  });

  it('keeps constructor, prototype and toString as ordinary ConfigMap keys', async () => {
    const data = { constructor: 'a', prototype: 'b', toString: 'c', hasOwnProperty: 'd' };
    const r = await send('POST', cms, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keys' }, data });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json.data, data);
    const p = await send('PATCH', `${cms}/keys`, { data: { valueOf: 'e', constructor: null } }, 'application/merge-patch+json');
    assert.deepEqual(p.json.data, { prototype: 'b', toString: 'c', hasOwnProperty: 'd', valueOf: 'e' });
    assertClean();
  });

  it('holds integers to their Go types, and a huge grace period cannot wedge a delete', async () => {
    const pods = '/api/v1/namespaces/default/pods';
    const pod = (name: string, grace: number) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: 'n1', terminationGracePeriodSeconds: grace, containers: [{ name: 'c', image: 'i' }] } });
    const huge = await send('POST', pods, pod('huge', 1e308));
    assert.equal(huge.status, 422);
    assert.equal(huge.json.details.causes[0].field, 'spec.terminationGracePeriodSeconds');
    const port = await send('POST', pods, { ...pod('port', 30), spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 2 ** 31 }] }] } });
    assert.equal(port.status, 422);
    assert.match(port.json.message, /spec\.containers\[0\]\.ports\[0\]\.containerPort.*less than or equal to 2147483647/);
    const widget = await send('POST', '/apis/example.workplane.dev/v1/namespaces/default/widgets', { apiVersion: 'example.workplane.dev/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { image: 'i', replicas: 1.5 } });
    assert.equal(widget.status, 422);
    // The largest int64 a JS number holds exactly is accepted, and its delete answers.
    assert.equal((await send('POST', pods, pod('slow', Number.MAX_SAFE_INTEGER))).status, 201);
    const del = await send('DELETE', `${pods}/slow`);
    assert.ok(del.status === 200 || del.status === 202, del.text);
    assert.equal(del.json.metadata.deletionTimestamp, '9999-12-31T23:59:59Z');
    const force = await send('DELETE', `${pods}/slow?gracePeriodSeconds=0`);
    assert.equal(force.status, 200, force.text);
    await ready();
  });

  it('answers deep nesting with 400 wherever it comes', async () => {
    const deepJson = `{"data":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`;
    const justOver = `{"data":${'{"a":'.repeat(MAX_NESTING_DEPTH)}1${'}'.repeat(MAX_NESTING_DEPTH)}}`;
    for (const [method, path, type, body] of [
      ['PATCH', `${cms}/x`, 'application/merge-patch+json', deepJson],
      ['PATCH', `${cms}/x`, 'application/merge-patch+json', justOver],
      ['PATCH', `${cms}/x`, 'application/strategic-merge-patch+json', deepJson],
      ['PATCH', `${cms}/x`, 'application/json-patch+json', `[{"op":"add","path":"/data/q","value":${'['.repeat(100_000)}${']'.repeat(100_000)}}]`],
      ['POST', cms, 'application/json', deepJson],
      ['POST', cms, 'application/yaml', `data: ${'['.repeat(50_000)}${']'.repeat(50_000)}`],
      ['PATCH', `${cms}/x?fieldManager=m`, 'application/apply-patch+yaml', deepJson],
    ] as const) {
      const r = await send(method, path, body, type);
      assert.equal(r.status, 400, `${type}: ${r.text.slice(0, 200)}`);
      assert.match(r.json.message, new RegExp(`exceeded max depth of ${MAX_NESTING_DEPTH}`));
    }
    await ready();
  });

  it('decodes watch options as kube: bad timeoutSeconds is 400, negative ends at once, booleans kube-style', async () => {
    for (const v of ['abc', '1e20', '1.5', '99999999999999999999']) {
      const r = await send('GET', `${cms}?watch=true&timeoutSeconds=${v}`);
      assert.equal(r.status, 400, v);
      assert.match(r.json.message, /^strconv\.ParseInt: parsing ".*": (invalid syntax|value out of range)$/);
    }
    const neg = rawWatch(t, `${cms}?watch=true&timeoutSeconds=-1&resourceVersion=${(await send('GET', cms)).json.metadata.resourceVersion}`);
    assert.equal(await neg.status, 200);
    await neg.ended;
    assert.deepEqual(neg.events, []);
    // `watch=t` (true in strconv and in kube) streams; `watch=0` lists.
    const w = rawWatch(t, `${cms}?watch=t&timeoutSeconds=1`);
    assert.equal(await w.status, 200);
    await w.ended;
    assert.ok(w.events.some((e) => e.type === 'ADDED' && e.object.metadata.name === 'x'));
    assert.equal((await send('GET', `${cms}?watch=0`)).json.kind, 'ConfigMapList');
    assert.equal((await send('GET', `${cms}?limit=ten`)).status, 400);
    assert.equal((await send('GET', `${cms}?resourceVersion=abc`)).status, 422);
    const rvm = await send('GET', `${cms}?resourceVersionMatch=Sometimes&resourceVersion=1`);
    assert.equal(rvm.status, 422);
    assert.match(rvm.json.message, /^ListOptions\.meta\.k8s\.io "" is invalid: resourceVersionMatch: Unsupported value: "Sometimes"/);
  });

  it('serves the legacy /watch/ paths and keeps GET of a named object a plain get', async () => {
    const named = rawWatch(t, '/api/v1/watch/namespaces/default/configmaps/x?timeoutSeconds=2');
    const all = rawWatch(t, '/api/v1/watch/configmaps?timeoutSeconds=2');
    const widgets = rawWatch(t, '/apis/example.workplane.dev/v1/watch/namespaces/default/widgets?timeoutSeconds=2');
    for (const w of [named, all, widgets]) assert.equal(await w.status, 200);
    const w2 = { apiVersion: 'example.workplane.dev/v1', kind: 'Widget', metadata: { name: 'w2' }, spec: { image: 'i' } };
    assert.equal((await send('POST', '/apis/example.workplane.dev/v1/namespaces/default/widgets', w2)).status, 201);
    await Promise.all([named.ended, all.ended, widgets.ended]);
    assert.deepEqual([...new Set(named.events.map((e) => e.object.metadata.name))], ['x']);
    assert.ok(all.events.some((e) => e.object.metadata.name === 'x') && all.events.some((e) => e.object.metadata.name === 'keys'));
    assert.ok(widgets.events.some((e) => e.object.metadata.name === 'w2'));
    const mismatch = await send('GET', '/api/v1/watch/namespaces/default/configmaps/x?fieldSelector=metadata.name%3Dother');
    assert.equal(mismatch.status, 400);
    assert.equal(mismatch.json.message, "fieldSelector metadata.name doesn't match requested name");
    assert.equal((await send('GET', '/api/v1/watch/namespaces/default/configmaps/x/status')).status, 404);
    assert.equal((await send('DELETE', '/api/v1/watch/namespaces/default/configmaps')).status, 405);
    const get = await send('GET', `${cms}/x?watch=true`);
    assert.equal(get.status, 200);
    assert.equal(get.json.kind, 'ConfigMap');
  });

  it('every verb returns objects with apiVersion and kind', async () => {
    const base = '/apis/example.workplane.dev/v1/namespaces/default/widgets';
    const gv = 'example.workplane.dev/v1';
    const kindOf = (o: any) => `${o?.apiVersion} ${o?.kind}`;
    const w = rawWatch(t, `${base}?watch=1&timeoutSeconds=2`);
    const created = await send('POST', base, { metadata: { name: 'k' }, spec: { image: 'i' } });
    assert.equal(created.status, 201, created.text);
    assert.equal(kindOf(created.json), `${gv} Widget`);
    const got = await send('GET', `${base}/k`);
    assert.equal(kindOf(got.json), `${gv} Widget`);
    assert.equal(kindOf((await send('PUT', `${base}/k`, { metadata: { name: 'k' }, spec: { image: 'j' } })).json), `${gv} Widget`);
    assert.equal(kindOf((await send('PATCH', `${base}/k`, { spec: { image: 'k' } }, 'application/merge-patch+json')).json), `${gv} Widget`);
    assert.equal(kindOf((await send('PATCH', `${base}/k?fieldManager=a&force=true`, { apiVersion: gv, kind: 'Widget', metadata: { name: 'k' }, spec: { size: 'large' } }, 'application/apply-patch+yaml')).json), `${gv} Widget`);
    assert.equal(kindOf((await send('GET', `${base}/k/status`)).json), `${gv} Widget`);
    assert.equal(kindOf((await send('PUT', `${base}/k/status`, { metadata: { name: 'k' }, status: { phase: 'Ready' } })).json), `${gv} Widget`);
    assert.equal(kindOf((await send('GET', `${base}/k/scale`)).json), 'autoscaling/v1 Scale');
    assert.equal(kindOf((await send('PATCH', `${base}/k/scale`, { spec: { replicas: 2 } }, 'application/merge-patch+json')).json), 'autoscaling/v1 Scale');
    const list = await send('GET', base);
    assert.equal(kindOf(list.json), `${gv} WidgetList`);
    for (const item of list.json.items) assert.equal(kindOf(item), `${gv} Widget`);
    // Removed at once: kube answers a Status naming it (the watch's DELETED event carries the Widget).
    assert.equal(kindOf((await send('DELETE', `${base}/k`)).json), 'v1 Status');
    await w.ended;
    assert.ok(w.events.length >= 3);
    for (const e of w.events) assert.equal(kindOf(e.object), `${gv} Widget`, e.type);
    const token = await send('POST', '/api/v1/namespaces/default/serviceaccounts/default/token', { spec: {} });
    if (token.status === 201) assert.equal(kindOf(token.json), 'authentication.k8s.io/v1 TokenRequest');
  });

  it('cuts off a client that dribbles its headers, and lets a watch outlive the request timeout', async () => {
    // Headers trickle one line every 300 ms for far longer than the 1.5 s header timeout.
    const lines = ['GET /readyz HTTP/1.1\r\nHost: x\r\n', ...Array.from({ length: 60 }, (_, i) => `X-Slow-${i}: y\r\n`)];
    const slow = await rawTls(t, lines, { gapMs: 300, timeoutMs: 15_000 });
    assert.equal(slow.timedOut, false, 'the server never closed the connection');
    assert.ok(slow.closed);
    assert.ok(slow.status === undefined || slow.status === 408, slow.text);
    // So is a connection that sends nothing at all after the TLS handshake.
    const silent = await rawTls(t, [], { timeoutMs: 15_000 });
    assert.equal(silent.timedOut, false, 'an idle connection was never closed');
    // A body sent slower than the request timeout allows is cut off too.
    const body = ['POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n', ...Array.from({ length: 60 }, () => ' ')];
    const slowBody = await rawTls(t, body, { gapMs: 300, timeoutMs: 15_000 });
    assert.equal(slowBody.timedOut, false);
    // A watch whose request has arrived streams past requestTimeout (1.5 s).
    const w = rawWatch(t, `${cms}?watch=true&resourceVersion=${(await send('GET', cms)).json.metadata.resourceVersion}`);
    assert.equal(await w.status, 200);
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal((await send('POST', cms, { metadata: { name: 'late' } })).status, 201);
    await until(() => w.events.some((e) => e.object.metadata?.name === 'late'), 'the late event');
    w.close();
    await ready();
  });

  it('answers oversized headers with 431 and keeps serving', async () => {
    const big = await httpRequest(t, 'GET', '/readyz', undefined, { anonymous: true, headers: { 'X-Big': 'a'.repeat(1024 * 1024 + 10) } });
    assert.ok(big.status === 431 || big.error !== undefined, `${big.status} ${big.error}`);
    await ready();
  });

  it('keeps the data directory private', () => {
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    for (const f of readdirSync(dir)) {
      const st = statSync(join(dir, f));
      assert.equal(st.mode & 0o777, st.isDirectory() ? 0o700 : 0o600, f);
    }
  });
});
