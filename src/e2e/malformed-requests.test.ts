// A few hundred malformed requests, generated from a seeded PRNG (set
// MALFORMED_SEED to replay a run), sent to one real server over raw TLS and
// HTTPS: bad escapes and request targets, broken HTTP, `__proto__` bodies in
// every body and patch type (JSON, YAML, protobuf), out-of-range numbers in
// every integer field the served schemas declare, deep nesting, bad values for
// every query parameter the server reads, oversized headers and garbage bodies.
// Each must get a 4xx (never a 5xx, never a dropped connection where an answer
// is possible); afterwards /readyz answers 200, Object.prototype is clean and
// none of the refused writes left anything behind.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isPlainObject } from '../api/object.js';
import { MAX_NESTING_DEPTH } from '../api/untrusted-json.js';
import { startControlPlane, type ControlPlane } from '../controlplane/control-plane.js';
import { serveOptions } from '../controlplane/options.js';
import type { ResourceStore } from '../registry/resource-store.js';
import { seededRng, seedFromEnv, type Rng } from './support/prng.js';
import { httpRequest, rawTls, type HttpResult, type Target } from './support/raw-http.js';

// A fixed seed keeps every run the same; set MALFORMED_SEED (any number, or `random`) to explore others.
const SEED = process.env.MALFORMED_SEED ? (process.env.MALFORMED_SEED === 'random' ? seedFromEnv('NO_SUCH_VARIABLE') : seedFromEnv('MALFORMED_SEED')) : 20261206;

interface Case {
  what: string;
  method: string;
  path: string;
  body?: string | Buffer;
  type?: string;
  headers?: Record<string, string>;
  /** Exact status expected; otherwise any 4xx. */
  status?: number;
  /** Watches that would stream: 2xx also passes, once headers arrive. */
  mayStream?: boolean;
}

// --- generators -------------------------------------------------------------

const BASE_PATHS = ['/api/v1/namespaces/default/configmaps', '/api/v1/namespaces/default/configmaps/base', '/apis/example.workplane.dev/v1/namespaces/default/widgets', '/api/v1/pods', '/apis', '/version'];

function badEscapePath(rng: Rng): string {
  const p = rng.pick(BASE_PATHS);
  const at = rng.int(1, p.length);
  // Each is invalid whatever follows it (`%1` before an `e` would be the valid escape `%1e`).
  const junk = rng.pick(['%Q', '%Z', '%ZZ', '%G1', '%%', '%1Z', '%x0', '%-1']);
  return `${p.slice(0, at)}${junk}${p.slice(at)}`;
}

/** Puts `__proto__` somewhere inside `obj` (a fresh copy), at a random depth. */
function withProto(rng: Rng, obj: Record<string, unknown>): string {
  const text = JSON.stringify(obj);
  const copy = JSON.parse(text) as Record<string, unknown>;
  let cur: Record<string, unknown> = copy;
  for (let steps = rng.int(0, 3); steps > 0; steps--) {
    const keys = Object.keys(cur).filter((k) => isPlainObject(cur[k]));
    if (!keys.length) break;
    cur = cur[rng.pick(keys)] as Record<string, unknown>;
  }
  // JSON.parse makes `__proto__` an own key; building the text by hand keeps it one on the wire too.
  const marker = `__marker_${rng.int(0, 1e9)}__`;
  cur[marker] = rng.pick([{ x: '1' }, { polluted: true }, 'x', [1]]);
  return JSON.stringify(copy).replace(`"${marker}"`, '"__proto__"');
}

const toYaml = (json: string) => {
  // A flow-style YAML document is JSON with unquoted keys where possible.
  return `# yaml\n${json.replace(/"([A-Za-z_][A-Za-z0-9_]*)":/g, '$1: ')}\n`;
};

function deepValue(rng: Rng, depth: number): string {
  const open = rng.pick(['[', '{"a":']);
  const close = open === '[' ? ']' : '}';
  return `${open.repeat(depth)}1${close.repeat(depth)}`;
}

/** Protobuf writer for the few messages the test builds. */
const varint = (n: number): number[] => {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n >>>= 7;
  }
  out.push(n);
  return out;
};
const lenField = (num: number, payload: Buffer): Buffer => Buffer.concat([Buffer.from([...varint((num << 3) | 2), ...varint(payload.length)]), payload]);
const strField = (num: number, s: string) => lenField(num, Buffer.from(s, 'utf8'));

function protobufConfigMap(name: string, labelKey: string, dataKey: string): Buffer {
  const meta = Buffer.concat([strField(1, name), lenField(11, Buffer.concat([strField(1, labelKey), strField(2, 'v')]))]);
  const cm = Buffer.concat([lenField(1, meta), lenField(2, Buffer.concat([strField(1, dataKey), strField(2, 'v')]))]);
  const envelope = Buffer.concat([lenField(1, Buffer.concat([strField(1, 'v1'), strField(2, 'ConfigMap')])), lenField(2, cm)]);
  return Buffer.concat([Buffer.from('k8s\0', 'binary'), envelope]);
}

/** Every integer field path in a schema (`spec.containers[0].ports[0].containerPort`), objects and arrays followed. */
function integerPaths(schema: unknown, prefix: string[] = [], depth = 0, out: string[][] = []): string[][] {
  if (!isPlainObject(schema) || depth > 8) return out;
  const alts = (['anyOf', 'oneOf', 'allOf'] as const).flatMap((k) => (Array.isArray(schema[k]) ? (schema[k] as unknown[]) : []));
  if (schema.type === 'integer' || alts.some((a) => isPlainObject(a) && a.type === 'integer')) out.push(prefix);
  if (isPlainObject(schema.properties)) {
    for (const [k, v] of Object.entries(schema.properties)) if (k !== 'metadata' || depth === 0) integerPaths(v, [...prefix, k], depth + 1, out);
  }
  if (isPlainObject(schema.items)) integerPaths(schema.items, [...prefix, '0'], depth + 1, out);
  return out;
}

function setPath(obj: Record<string, unknown>, path: string[], value: unknown): void {
  let cur: any = obj;
  for (let i = 0; i < path.length - 1; i++) {
    const next = path[i + 1];
    cur[path[i]] ??= /^\d+$/.test(next) ? [] : {};
    cur = cur[path[i]];
  }
  cur[path[path.length - 1]] = value;
}

const HUGE_NUMBERS = ['1e308', '-1e308', '1e20', '9223372036854775808', '2147483648', '-2147483649', '18446744073709551616', '1.5', '1e400'];

/** Query parameters the server reads, with values Go or kube refuse (or that are merely strange). */
const INT_PARAMS = ['limit', 'timeoutSeconds', 'gracePeriodSeconds'];
const BOOL_PARAMS = ['watch', 'allowWatchBookmarks', 'sendInitialEvents', 'force', 'orphanDependents'];
const ENUM_PARAMS = ['resourceVersionMatch', 'includeObject', 'dryRun', 'fieldValidation', 'propagationPolicy'];
const TEXT_PARAMS = ['labelSelector', 'fieldSelector', 'continue', 'resourceVersion', 'fieldManager'];
const LOG_PARAMS = ['container', 'follow', 'previous', 'timestamps', 'tailLines', 'limitBytes', 'sinceSeconds', 'sinceTime'];
const BAD_INTS = ['abc', '1e20', '1.5', '99999999999999999999', '', '0x10', '%2B%2B1', '1_000', '+-1', '%E2%88%9E'];
const STRANGE = ['', '%00', '%ZZ', '%FF%FE', '..%2F..', 'a'.repeat(10_000), '%E2%80%AE', '=%3D%3D', '!', 'metadata.name%3D%3D%3Dx', 'x%2Cy%3Dz%5C', '%0D%0AX-Injected:%201'];

function queryCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  const cms = '/api/v1/namespaces/default/configmaps';
  for (const p of INT_PARAMS) {
    for (const v of BAD_INTS) {
      const method = p === 'gracePeriodSeconds' ? 'DELETE' : 'GET';
      const path = method === 'DELETE' ? `${cms}/nonexistent-${rng.int(0, 1e6)}` : `${cms}?watch=${rng.pick(['1', 'true', '0'])}`;
      // An empty value or one URL decoding drops is unset, which is fine; everything else is strconv's 400.
      const unset = v === '';
      cases.push({ what: `query ${p}=${v}`, method, path: `${path}${path.includes('?') ? '&' : '?'}${p}=${v}`, status: unset ? undefined : 400, mayStream: unset });
    }
  }
  for (const p of [...BOOL_PARAMS, ...ENUM_PARAMS, ...TEXT_PARAMS]) {
    for (let i = 0; i < 4; i++) {
      const v = rng.pick(STRANGE);
      const watch = rng.pick(['', '&watch=1&timeoutSeconds=1']);
      const method = rng.pick(['GET', 'GET', 'DELETE', 'POST', 'PATCH']);
      // Writes aim at `base` (a valid patch may land), deletes at a missing object (a valid delete is a 404).
      const target = method === 'GET' ? `${cms}?x=1${watch}` : method === 'DELETE' ? `${cms}/missing?x=1` : `${cms}/base?x=1`;
      cases.push({
        what: `query ${method} ${p}=${v.slice(0, 20)}`,
        method,
        path: `${target}&${p}=${v}`,
        body: method === 'POST' || method === 'PATCH' ? '{"data":{"k":"v"}}' : undefined,
        type: method === 'PATCH' ? 'application/merge-patch+json' : 'application/json',
        mayStream: true,
      });
    }
  }
  for (const p of LOG_PARAMS) {
    for (let i = 0; i < 2; i++) {
      const v = rng.pick([...STRANGE, ...BAD_INTS]);
      cases.push({ what: `log ${p}=${v.slice(0, 20)}`, method: 'GET', path: `/api/v1/namespaces/default/pods/nopod/log?${p}=${v}` });
    }
  }
  return cases;
}

// --- the test ---------------------------------------------------------------

describe(`malformed requests (MALFORMED_SEED=${SEED})`, () => {
  let cp: ControlPlane;
  let dir: string;
  let t: Target;
  const rng = seededRng(SEED);
  const cms = '/api/v1/namespaces/default/configmaps';
  const widgets = '/apis/example.workplane.dev/v1/namespaces/default/widgets';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wp-malformed-'));
    cp = await startControlPlane(serveOptions({ dataDir: dir, storage: 'sqlite', apiOnly: true, runtimeConfig: { 'example.workplane.dev/v1': true } }));
    t = { url: cp.url, caPem: cp.caPem, adminToken: cp.adminToken };
    const send = (path: string, body: unknown) => httpRequest(t, 'POST', path, JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } });
    assert.equal((await send(cms, { metadata: { name: 'base' }, data: { a: '1' } })).status, 201);
    assert.equal((await send(widgets, { apiVersion: 'example.workplane.dev/v1', kind: 'Widget', metadata: { name: 'base' }, spec: { image: 'i' } })).status, 201);
    assert.equal((await send('/api/v1/namespaces/default/serviceaccounts', { metadata: { name: 'default' } })).status, 201);
    assert.equal((await send('/api/v1/namespaces/default/pods', { metadata: { name: 'base' }, spec: { containers: [{ name: 'c', image: 'i' }] } })).status, 201);
  });

  after(async () => {
    await cp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const failures: string[] = [];
  let sent = 0;
  async function run(c: Case): Promise<HttpResult> {
    sent++;
    const headers = { ...(c.type ? { 'Content-Type': c.type } : {}), ...c.headers };
    const r = await httpRequest(t, c.method, c.path, c.body, { headers, headersOnly: c.mayStream, timeoutMs: 15_000 });
    const ok = r.error === undefined && (c.status !== undefined ? r.status === c.status : (r.status >= 400 && r.status < 500) || (!!c.mayStream && r.status >= 200 && r.status < 300));
    if (!ok) failures.push(`${c.what}: ${c.method} ${c.path.slice(0, 120)} -> ${r.error ?? r.status} ${r.text.slice(0, 200)}`);
    if (r.status >= 400 && r.error === undefined && r.json?.kind !== 'Status') failures.push(`${c.what}: not a Status: ${r.text.slice(0, 120)}`);
    return r;
  }
  const runAll = async (cases: Case[]) => {
    for (const c of cases) await run(c);
  };
  const revision = async () => (await httpRequest(t, 'GET', cms)).json.metadata.resourceVersion as string;
  const clean = () => {
    const proto = Object.prototype as Record<string, unknown>;
    for (const k of ['x', 'polluted']) assert.equal(proto[k], undefined, `Object.prototype.${k} is set`);
  };

  it('bad percent escapes in the path: 400', async () => {
    const cases: Case[] = [];
    for (let i = 0; i < 40; i++) cases.push({ what: 'bad escape', method: rng.pick(['GET', 'DELETE', 'POST', 'PUT']), path: badEscapePath(rng), status: 400 });
    await runAll(cases);
  });

  it('malformed HTTP and request targets over raw TLS: a 4xx answer or a closed connection, never a 5xx', async () => {
    const lines = [
      'GET http://[/x HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET http://a b/ HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET https://[::1/api HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET http://%ZZ/api HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET * HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET x HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /api HTTP/9.9\r\nHost: x\r\n\r\n',
      'GET /api\r\n\r\n',
      'BREW /api HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /api HTTP/1.1\r\nBad Header: x\r\n\r\n',
      'GET /api HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
      'POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nabcde',
      'POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
      '\x16\x03\x01\x00\x05hello\r\n\r\n',
      `GET /${'a'.repeat(2 * 1024 * 1024)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    ];
    for (let i = 0; i < 10; i++) lines.push(`GET ${badEscapePath(rng)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    // A client that announces a body and hangs up half-way through it.
    for (let i = 0; i < 5; i++) {
      sent++;
      const partial = `PATCH /api/v1/namespaces/default/configmaps/base HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.adminToken}\r\nContent-Type: application/merge-patch+json\r\nContent-Length: 1000\r\n\r\n{"data":{"a":`;
      await rawTls(t, [partial], { timeoutMs: rng.int(0, 300) });
    }
    for (const raw of lines) {
      sent++;
      // Asking the server to close after answering ends each exchange without waiting out keep-alive.
      const text = raw.includes('Connection: close') ? raw : raw.replace('Host: x\r\n', 'Host: x\r\nConnection: close\r\n');
      const r = await rawTls(t, [text], { timeoutMs: 10_000 });
      if (r.status !== undefined && !(r.status >= 400 && r.status < 500)) failures.push(`raw ${JSON.stringify(text.slice(0, 60))} -> ${r.status}`);
      if (r.status === undefined && !r.closed) failures.push(`raw ${JSON.stringify(text.slice(0, 60))}: no answer and not closed`);
    }
  });

  it('__proto__ in every body and patch type: 400, nothing written, Object.prototype clean', async () => {
    const rvBefore = await revision();
    const widgetRvBefore = (await httpRequest(t, 'GET', widgets)).json.metadata.resourceVersion;
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'base', labels: { a: 'b' } }, data: { a: '2' } };
    const widget = { apiVersion: 'example.workplane.dev/v1', kind: 'Widget', metadata: { name: 'base', annotations: { a: 'b' } }, spec: { image: 'j', tags: { t: 'u' } } };
    const pod = { spec: { containers: [{ name: 'c', image: 'j', env: [{ name: 'A', value: 'B' }] }] }, metadata: { labels: { x: 'y' } } };
    const cases: Case[] = [];
    for (let i = 0; i < 12; i++) {
      cases.push({ what: 'merge cm', method: 'PATCH', path: `${cms}/base`, type: 'application/merge-patch+json', body: withProto(rng, { data: { a: '3' }, metadata: { labels: { c: 'd' } } }), status: 400 });
      cases.push({ what: 'merge widget', method: 'PATCH', path: `${widgets}/base`, type: 'application/merge-patch+json', body: withProto(rng, widget), status: 400 });
      cases.push({ what: 'smp pod', method: 'PATCH', path: '/api/v1/namespaces/default/pods/base', type: 'application/strategic-merge-patch+json', body: withProto(rng, pod), status: 400 });
      cases.push({ what: 'smp cm', method: 'PATCH', path: `${cms}/base`, type: 'application/strategic-merge-patch+json', body: withProto(rng, { data: { z: 'y' } }), status: 400 });
      cases.push({ what: 'apply json', method: 'PATCH', path: `${cms}/base?fieldManager=fuzz&force=true`, type: 'application/apply-patch+yaml', body: withProto(rng, cm), status: 400 });
      cases.push({ what: 'apply yaml', method: 'PATCH', path: `${widgets}/base?fieldManager=fuzz&force=true`, type: 'application/apply-patch+yaml', body: toYaml(withProto(rng, widget)), status: 400 });
      cases.push({ what: 'create json', method: 'POST', path: cms, type: 'application/json', body: withProto(rng, { ...cm, metadata: { name: `new-${i}` } }), status: 400 });
      cases.push({ what: 'create yaml', method: 'POST', path: widgets, type: 'application/yaml', body: toYaml(withProto(rng, { ...widget, metadata: { name: `new-${i}` } })), status: 400 });
      cases.push({ what: 'update json', method: 'PUT', path: `${cms}/base`, type: 'application/json', body: withProto(rng, cm), status: 400 });
      const ptr = rng.pick(['/metadata/__proto__/x', '/__proto__', '/data/__proto__', '/metadata/labels/__proto__', '/spec/__proto__/polluted']);
      cases.push({ what: 'json patch path', method: 'PATCH', path: `${cms}/base`, type: 'application/json-patch+json', body: JSON.stringify([{ op: rng.pick(['add', 'replace', 'copy', 'move']), from: '/data/a', path: ptr, value: { x: '1' } }]), status: 400 });
      cases.push({ what: 'json patch value', method: 'PATCH', path: `${cms}/base`, type: 'application/json-patch+json', body: `[{"op":"add","path":"/data/q","value":${withProto(rng, { v: { w: 1 } })}}]`, status: 400 });
    }
    cases.push({ what: 'protobuf label', method: 'POST', path: cms, type: 'application/vnd.kubernetes.protobuf', body: protobufConfigMap('pb1', '__proto__', 'k'), status: 400 });
    cases.push({ what: 'protobuf data', method: 'POST', path: cms, type: 'application/vnd.kubernetes.protobuf', body: protobufConfigMap('pb2', 'l', '__proto__'), status: 400 });
    await runAll(cases);
    clean();
    assert.equal(await revision(), rvBefore, 'a refused write changed the configmaps');
    assert.equal((await httpRequest(t, 'GET', widgets)).json.metadata.resourceVersion, widgetRvBefore);
  });

  it('out-of-range numbers in every integer field of every served kind: 4xx', async () => {
    const cases: Case[] = [];
    for (const store of cp.registry.all() as ResourceStore[]) {
      const { def, cd } = store;
      const base = `${def.group ? `/apis/${def.group}` : '/api'}/${def.version}${def.namespaced ? '/namespaces/default' : ''}/${def.plural}`;
      for (const path of integerPaths(cd.fullSchema)) {
        // metadata integers are server-set (generation...); status is dropped on create and written through /status.
        if (path[0] === 'metadata' || path[0] === 'status') continue;
        const value = rng.pick(HUGE_NUMBERS);
        const obj: Record<string, unknown> = { apiVersion: cd.gv, kind: def.kind, metadata: { name: `int-${rng.int(0, 1e9)}` } };
        setPath(obj, path, 0);
        const text = JSON.stringify(obj).replace(/:0(?=[,}\]])/, `:${value}`);
        cases.push({ what: `${def.kind} ${path.join('.')}=${value}`, method: 'POST', path: base, type: 'application/json', body: text });
      }
    }
    assert.ok(cases.length > 40, `only ${cases.length} integer fields found`);
    await runAll(cases);
    // Scale and DeleteOptions take integers outside any schema.
    await runAll([
      { what: 'status replicas', method: 'PATCH', path: `${widgets}/base/status`, type: 'application/merge-patch+json', body: '{"status":{"replicas":2147483648}}' },
      { what: 'status generation', method: 'PATCH', path: `${widgets}/base/status`, type: 'application/merge-patch+json', body: '{"status":{"conditions":[{"type":"Ready","status":"True","reason":"R","lastTransitionTime":"2024-01-01T00:00:00Z","observedGeneration":1e20}]}}' },
      { what: 'pod status restarts', method: 'PATCH', path: '/api/v1/namespaces/default/pods/base/status', type: 'application/merge-patch+json', body: '{"status":{"containerStatuses":[{"name":"c","restartCount":1e308}]}}' },
      { what: 'scale replicas', method: 'PATCH', path: `${widgets}/base/scale`, type: 'application/merge-patch+json', body: '{"spec":{"replicas":1e308}}' },
      { what: 'scale replicas float', method: 'PUT', path: `${widgets}/base/scale`, type: 'application/json', body: '{"spec":{"replicas":2.5}}' },
      { what: 'delete grace', method: 'DELETE', path: `${cms}/base`, type: 'application/json', body: '{"gracePeriodSeconds":1e400}' },
      { what: 'delete grace float', method: 'DELETE', path: `${cms}/base`, type: 'application/json', body: '{"gracePeriodSeconds":0.5}' },
      { what: 'token expiry', method: 'POST', path: '/api/v1/namespaces/default/serviceaccounts/default/token', type: 'application/json', body: '{"spec":{"expirationSeconds":1e999}}' },
    ]);
  });

  it('deep nesting in bodies and patches: 400', async () => {
    const cases: Case[] = [];
    for (let i = 0; i < 14; i++) {
      const depth = rng.pick([MAX_NESTING_DEPTH + 1, 2000, 20_000, 100_000]);
      const v = deepValue(rng, depth);
      cases.push(
        rng.pick<Case>([
          { what: `merge ${depth}`, method: 'PATCH', path: `${cms}/base`, type: 'application/merge-patch+json', body: `{"data":${v}}`, status: 400 },
          { what: `smp ${depth}`, method: 'PATCH', path: '/api/v1/namespaces/default/pods/base', type: 'application/strategic-merge-patch+json', body: `{"spec":${v}}`, status: 400 },
          { what: `json patch ${depth}`, method: 'PATCH', path: `${cms}/base`, type: 'application/json-patch+json', body: `[{"op":"add","path":"/data/d","value":${v}}]`, status: 400 },
          { what: `apply ${depth}`, method: 'PATCH', path: `${cms}/base?fieldManager=f`, type: 'application/apply-patch+yaml', body: `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"base"},"data":${v}}`, status: 400 },
          { what: `create ${depth}`, method: 'POST', path: cms, type: 'application/json', body: `{"metadata":{"name":"deep"},"data":${v}}`, status: 400 },
          { what: `yaml ${depth}`, method: 'POST', path: widgets, type: 'application/yaml', body: `metadata: {name: deep}\nspec: ${'['.repeat(depth)}${']'.repeat(depth)}\n`, status: 400 },
          { what: `delete ${depth}`, method: 'DELETE', path: `${cms}/base`, type: 'application/json', body: `{"preconditions":${v}}`, status: 400 },
        ]),
      );
    }
    await runAll(cases);
  });

  it('bad values for every query parameter the server reads: 4xx', async () => {
    await runAll(queryCases(rng));
  });

  it('garbage bodies and oversized headers: 4xx', async () => {
    const cases: Case[] = [];
    const types = ['application/json', 'application/yaml', 'application/merge-patch+json', 'application/json-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml', 'application/vnd.kubernetes.protobuf', 'text/plain', 'application/json; charset=utf-16', ''];
    for (let i = 0; i < 30; i++) {
      const bytes = Buffer.from(Array.from({ length: rng.int(0, 300) }, () => rng.int(0, 255)));
      const body = rng.pick<string | Buffer>([bytes, 'null', '[]', '1', '"s"', '{', '{"a":1e999}', 'a: [', Buffer.concat([Buffer.from('k8s\0', 'binary'), bytes]), '\ufeff{}', '{"metadata":"x"}', '{"metadata":{"name":5}}']);
      const method = rng.pick(['POST', 'PUT', 'PATCH', 'DELETE']);
      // An empty body is no body: a DELETE would then simply succeed, so deletes aim at a missing object.
      const path =
        method === 'POST'
          ? rng.pick([cms, widgets, '/api/v1/namespaces/default/serviceaccounts/default/token', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'])
          : method === 'DELETE'
            ? rng.pick([`${cms}/missing`, `${widgets}/missing`])
            : rng.pick([`${cms}/base`, `${widgets}/base`, `${widgets}/base/scale`, `${widgets}/base/status`]);
      // Random bytes are sometimes a valid document after all (`\ufeff{}` is YAML for {}): then a 2xx is right too.
      cases.push({ what: `garbage ${method}`, method, path: `${path}?fieldManager=g`, type: rng.pick(types), body, mayStream: true });
    }
    for (const size of [20_000, 64 * 1024, 1024 * 1024 + 1]) {
      cases.push({ what: `header ${size}`, method: 'GET', path: '/readyz', headers: { 'X-Big': 'b'.repeat(size) }, status: size > 1024 * 1024 ? 431 : 200 });
    }
    for (const c of cases) {
      if (c.status === 200) {
        // Large but allowed headers are served.
        const r = await httpRequest(t, c.method, c.path, undefined, { headers: c.headers });
        sent++;
        if (r.status !== 200) failures.push(`${c.what}: ${r.error ?? r.status}`);
        continue;
      }
      const r = await run(c);
      // An oversized head may also end with node closing the socket before we finish writing.
      if (c.status === 431 && r.error !== undefined) failures.splice(failures.findIndex((f) => f.startsWith(c.what)), 1);
    }
  });

  it('the server is still ready, Object.prototype is clean, every case was answered as expected', async () => {
    const ready = await httpRequest(t, 'GET', '/readyz', undefined, { anonymous: true });
    assert.equal(ready.status, 200);
    clean();
    const names = (await httpRequest(t, 'GET', cms)).json.items.map((i: { metadata: { name: string } }) => i.metadata.name);
    assert.deepEqual(names, ['base']);
    assert.ok(sent > 300, `only ${sent} requests sent`);
    assert.deepEqual(failures, [], `seed ${SEED}`);
  });
});
