// OpenAPI v3 documents: structure and schema conversion, then the real kubectl
// against a tiny test-only server (discovery + these documents) for `explain`,
// server-side field validation on `create -f`, and strategic merge on `apply`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { defineResource, type ResourceDefinition } from '../api/definition.js';
import { compileDefinition, type CompiledDefinition } from '../registry/compiled-definition.js';
import { OBJECT_META, OpenApiPublisher, SCALE, schemaName, toOpenApiSchema, type OpenApiSource } from './openapi.js';

// Documents are read back as loose JSON: the assertions name the fields they expect.
type Json = Record<string, any>;

const GROUP = 'example.workplane.io';
const widgets = defineResource({
  group: GROUP,
  version: 'v1alpha1',
  kind: 'Widget',
  plural: 'widgets',
  singular: 'widget',
  namespaced: true,
  description: 'A Widget is a test kind with a spec and a status.',
  schema: Type.Object({
    spec: Type.Object(
      {
        replicas: Type.Integer({ description: 'How many widget copies to run.', format: 'int32', default: 1 }),
        mode: Type.Optional(Type.Union([Type.Literal('Fast'), Type.Literal('Slow')], { description: 'Speed of the widget.' })),
        labels: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Free-form tags.' })),
        port: Type.Optional(Type.Unsafe({ description: 'Port number or name.', 'x-kubernetes-int-or-string': true })),
      },
      { description: 'Desired state of the widget.', required: ['replicas'] },
    ),
    status: Type.Optional(Type.Object({ ready: Type.Optional(Type.Boolean({ description: 'True once serving.' })) }, { description: 'Observed state.' })),
  }),
  subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
});
const gadgets = defineResource({
  group: '',
  version: 'v1',
  kind: 'Gadget',
  plural: 'gadgets',
  singular: 'gadget',
  namespaced: true,
  strategicMerge: true,
  schema: Type.Object({
    spec: Type.Object(
      {
        ports: Type.Array(
          Type.Object({ name: Type.String({ description: 'Port name.' }), port: Type.Integer({ description: 'Port number.' }) }, { required: ['name'] }),
          { description: 'Ports, merged by name.', 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' },
        ),
      },
      { description: 'Gadget spec.' },
    ),
  }),
});
const reviews = defineResource({
  group: GROUP,
  version: 'v1alpha1',
  kind: 'WidgetReview',
  plural: 'widgetreviews',
  singular: 'widgetreview',
  namespaced: false,
  virtual: true,
  schema: Type.Object({ spec: Type.Object({ question: Type.String({ description: 'What to ask.' }) }) }),
});

const defs = [widgets, gadgets, reviews].map((d) => compileDefinition(d));
const sourcesOf = (list: CompiledDefinition[]): OpenApiSource[] => {
  const byGv = new Map<string, OpenApiSource>();
  for (const c of list) {
    const key = c.gv;
    if (!byGv.has(key)) byGv.set(key, { group: c.def.group, version: c.def.version, defs: [] });
    byGv.get(key)!.defs.push(c);
  }
  return [...byGv.values()];
};
const docOf = (p: OpenApiPublisher, path: string): Json => JSON.parse(p.document(path)!.body.toString());

test('schema names follow kube for built-in groups and reversed domains for the rest', () => {
  assert.equal(schemaName('', 'v1', 'Pod'), 'io.k8s.api.core.v1.Pod');
  assert.equal(schemaName('coordination.k8s.io', 'v1', 'Lease'), 'io.k8s.api.coordination.v1.Lease');
  assert.equal(schemaName('authorization.k8s.io', 'v1', 'SelfSubjectAccessReview'), 'io.k8s.api.authorization.v1.SelfSubjectAccessReview');
  assert.equal(schemaName('kuma.io', 'v1alpha1', 'Workload'), 'io.kuma.v1alpha1.Workload');
  assert.equal(schemaName('compute.miloapis.com', 'v1alpha1', 'Workload'), 'com.miloapis.compute.v1alpha1.Workload');
  assert.equal(schemaName('scheduling.k8s.io', 'v1alpha1', 'Workload'), 'io.k8s.scheduling.v1alpha1.Workload');
});

test('root lists every group-version with its hash; documents are cached until invalidated', () => {
  let calls = 0;
  const p = new OpenApiPublisher(() => (calls++, sourcesOf(defs)));
  const root = p.root() as Json;
  assert.deepEqual(Object.keys(root.paths), ['api/v1', `apis/${GROUP}/v1alpha1`]);
  const doc = p.document('api/v1')!;
  assert.match(doc.etag, /^[0-9A-F]{128}$/);
  assert.equal(root.paths['api/v1'].serverRelativeURL, `/openapi/v3/api/v1?hash=${doc.etag}`);
  assert.equal(p.document('/openapi/v3/api/v1?hash=x'), doc, 'same cached buffer');
  assert.equal(p.document('apis/nope/v1'), undefined);
  assert.equal(calls, 1);
  p.invalidate();
  assert.notEqual(p.document('api/v1'), doc);
  assert.equal(calls, 2);
});

test('a group-version document has kube-shaped components and paths', () => {
  const d = docOf(new OpenApiPublisher(() => sourcesOf(defs)), `apis/${GROUP}/v1alpha1`);
  assert.equal(d.openapi, '3.0.0');
  const s = d.components.schemas;
  const widget = s['io.workplane.example.v1alpha1.Widget'];
  assert.deepEqual(widget['x-kubernetes-group-version-kind'], [{ group: GROUP, kind: 'Widget', version: 'v1alpha1' }]);
  assert.equal(widget.description, 'A Widget is a test kind with a spec and a status.');
  assert.deepEqual(widget.properties.metadata.allOf, [{ $ref: `#/components/schemas/${OBJECT_META}` }]);
  assert.ok(s[OBJECT_META].properties.name.description);
  assert.deepEqual(s['io.workplane.example.v1alpha1.WidgetList']['x-kubernetes-group-version-kind'], [{ group: GROUP, kind: 'WidgetList', version: 'v1alpha1' }]);
  assert.ok(s[SCALE] && s['io.k8s.apimachinery.pkg.apis.meta.v1.Status'] && s['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions']);
  assert.equal(s['io.workplane.example.v1alpha1.WidgetReviewList'], undefined, 'virtual kinds have no list');

  const base = `/apis/${GROUP}/v1alpha1`;
  const item = d.paths[`${base}/namespaces/{namespace}/widgets/{name}`];
  for (const path of [item, d.paths[`${base}/namespaces/{namespace}/widgets/{name}/status`]]) {
    assert.deepEqual(path.patch['x-kubernetes-group-version-kind'], { group: GROUP, kind: 'Widget', version: 'v1alpha1' });
    assert.ok(path.patch.parameters.some((x: Json) => x.name === 'fieldValidation' && x.in === 'query'));
    assert.equal(path.patch.requestBody.content['application/strategic-merge-patch+json'], undefined, 'custom kinds take no SMP');
  }
  assert.deepEqual(Object.keys(item).sort(), ['delete', 'get', 'parameters', 'patch', 'put']);
  assert.equal(item.put['x-kubernetes-action'], 'put');
  assert.equal(d.paths[`${base}/widgets`].get.operationId, 'listExampleWorkplaneIoV1alpha1WidgetForAllNamespaces');
  const coll = d.paths[`${base}/namespaces/{namespace}/widgets`];
  assert.deepEqual([coll.get['x-kubernetes-action'], coll.post['x-kubernetes-action'], coll.delete['x-kubernetes-action']], ['list', 'post', 'deletecollection']);
  assert.ok(coll.post.parameters.some((x: Json) => x.name === 'dryRun') && coll.post.parameters.some((x: Json) => x.name === 'fieldManager'));
  const scale = d.paths[`${base}/namespaces/{namespace}/widgets/{name}/scale`];
  assert.deepEqual(scale.put['x-kubernetes-group-version-kind'], { group: 'autoscaling', kind: 'Scale', version: 'v1' });
  assert.deepEqual(d.paths[`${base}/widgetreviews`] && Object.keys(d.paths[`${base}/widgetreviews`]).sort(), ['parameters', 'post']);
  assert.equal(d.paths[`${base}/widgetreviews/{name}`], undefined);

  // every $ref resolves inside the document
  const refs = JSON.stringify(d).match(/"\$ref":"[^"]+"/g) ?? [];
  for (const r of refs) assert.ok(s[r.slice(29, -1)], `unresolved ${r}`);

  const core = docOf(new OpenApiPublisher(() => sourcesOf(defs)), 'api/v1');
  const patch = core.paths['/api/v1/namespaces/{namespace}/gadgets/{name}'].patch;
  assert.ok(patch.requestBody.content['application/strategic-merge-patch+json'], 'core kinds advertise SMP');
  assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: '', kind: 'Gadget', version: 'v1' });
  assert.ok(core.components.schemas['io.k8s.api.core.v1.Gadget']);
});

test('verbs limit the operations published', () => {
  const limited = compileDefinition({ ...gadgets, kind: 'Thing', plural: 'things', singular: 'thing', namespaced: false, verbs: ['get', 'list'] } as ResourceDefinition);
  const d = docOf(new OpenApiPublisher(() => sourcesOf([limited])), 'api/v1');
  assert.deepEqual(Object.keys(d.paths).sort(), ['/api/v1/things', '/api/v1/things/{name}']);
  assert.deepEqual(Object.keys(d.paths['/api/v1/things']).sort(), ['get', 'parameters']);
  assert.deepEqual(Object.keys(d.paths['/api/v1/things/{name}']).sort(), ['get', 'parameters']);
});

test('JSON schema keywords become OpenAPI 3.0', () => {
  const out = toOpenApiSchema({
    $id: 'x',
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    additionalProperties: false,
    'x-kubernetes-preserve-unknown-fields': true,
    properties: {
      c: { const: 'A', type: 'string' },
      u: Type.Union([Type.Literal('a'), Type.Literal('b')], { description: 'one of' }),
      n: Type.Number({ exclusiveMinimum: 0, maximum: 9 }),
      s: Type.Union([Type.String({ description: 'inner' }), Type.Null()], { description: 'maybe' }),
      t: { type: ['integer', 'null'], default: 3 },
      r: Type.Record(Type.String(), Type.Integer()),
      i: { 'x-kubernetes-int-or-string': true, type: 'string', description: 'port' },
      e: { type: 'string', examples: ['ex'], if: {}, enum: ['p', 'q'] },
    },
  });
  assert.equal(out.$id, undefined);
  assert.equal(out.$schema, undefined);
  assert.equal(out.additionalProperties, undefined);
  assert.equal(out['x-kubernetes-preserve-unknown-fields'], true);
  const p = out.properties as Json;
  assert.deepEqual(p.c, { enum: ['A'], type: 'string' });
  assert.deepEqual(p.u, { description: 'one of', type: 'string', enum: ['a', 'b'] });
  assert.deepEqual(p.n, { minimum: 0, exclusiveMinimum: true, maximum: 9, type: 'number' });
  assert.deepEqual(p.s, { description: 'maybe', nullable: true, type: 'string' });
  assert.deepEqual(p.t, { type: 'integer', nullable: true, default: 3 });
  assert.deepEqual(p.r, { type: 'object', additionalProperties: { type: 'integer' } });
  assert.deepEqual(p.i, { 'x-kubernetes-int-or-string': true, description: 'port', anyOf: [{ type: 'integer' }, { type: 'string' }] });
  assert.deepEqual(p.e, { type: 'string', example: 'ex', enum: ['p', 'q'] });
});

// ---- real kubectl --------------------------------------------------------------------------

interface Seen { method: string; url: string; type?: string; body: string }

/** Legacy discovery, the OpenAPI documents, and just enough CRUD for create and apply. */
function fakeApiserver(list: CompiledDefinition[], publisher: OpenApiPublisher) {
  const seen: Seen[] = [];
  const objects = new Map<string, Json>();
  const send = (res: ServerResponse, code: number, body: unknown) => {
    res.writeHead(code, { 'Content-Type': 'application/json' }).end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
  };
  const resources = (gv: string) => ({
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv,
    resources: list
      .filter((c) => c.gv === gv)
      .flatMap((c) => [
        { name: c.def.plural, singularName: c.def.singular, namespaced: c.def.namespaced, kind: c.def.kind, verbs: c.def.verbs },
        ...(c.def.subresources?.status ? [{ name: `${c.def.plural}/status`, singularName: '', namespaced: c.def.namespaced, kind: c.def.kind, verbs: ['get', 'patch', 'update'] }] : []),
      ]),
  });
  const handle = (req: IncomingMessage, res: ServerResponse, body: string) => {
    const url = req.url ?? '/';
    const path = url.split('?')[0]!;
    seen.push({ method: req.method!, url, type: req.headers['content-type'], body });
    if (path === '/version') return send(res, 200, { major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' });
    if (path === '/api') return send(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (path === '/apis') {
      const groups = [...new Set(list.filter((c) => c.def.group).map((c) => c.gv))].map((gv) => {
        const [name, version] = gv.split('/') as [string, string];
        return { name, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
      });
      return send(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups });
    }
    if (path === '/api/v1') return send(res, 200, resources('v1'));
    if (/^\/apis\/[^/]+\/[^/]+$/.test(path)) return send(res, 200, resources(path.slice(6)));
    if (path === '/openapi/v3') return send(res, 200, publisher.root());
    if (path.startsWith('/openapi/v3/')) {
      const doc = publisher.document(path.slice('/openapi/v3/'.length));
      return doc ? send(res, 200, doc.body) : send(res, 404, {});
    }
    const collection = /^(.*\/namespaces\/[^/]+\/[^/]+)(?:\/([^/]+))?$/.exec(path);
    if (!collection) return send(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
    const [, coll, name] = collection;
    if (req.method === 'POST') {
      const obj = JSON.parse(body) as Json;
      obj.metadata = { ...obj.metadata, uid: 'u1', resourceVersion: '1', creationTimestamp: '2024-01-01T00:00:00Z' };
      objects.set(`${coll}/${obj.metadata.name}`, obj);
      return send(res, 201, obj);
    }
    const obj = objects.get(path);
    if (!obj) return send(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, details: { name } });
    return send(res, 200, obj); // GET, and PATCH answered with the stored object: enough for kubectl to print a result
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handle(req, res, body));
  });
  return { server, seen };
}

function kubectl(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('/usr/bin/kubectl', args, { env, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

test('real kubectl: explain, create -f with server-side validation, apply with strategic merge', { skip: !existsSync('/usr/bin/kubectl') }, async () => {
  const publisher = new OpenApiPublisher(() => sourcesOf(defs));
  const { server, seen } = fakeApiserver(defs, publisher);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const home = mkdtempSync(join(tmpdir(), 'openapi-kubectl-'));
  try {
    const port = (server.address() as AddressInfo).port;
    const env = { PATH: process.env.PATH, HOME: home, KUBECONFIG: join(home, 'none') };
    const k = (...args: string[]) => kubectl([...args, '--server', `http://127.0.0.1:${port}`, '--cache-dir', join(home, 'cache'), '--request-timeout', '20s'], env);

    const rec = await k('explain', 'widgets', '--recursive');
    assert.equal(rec.code, 0, rec.stderr);
    assert.match(rec.stdout, /GROUP:\s+example\.workplane\.io/);
    assert.match(rec.stdout, /KIND:\s+Widget/);
    assert.match(rec.stdout, /A Widget is a test kind with a spec and a status\./);
    for (const field of ['apiVersion', 'metadata', 'ownerReferences', 'spec', 'replicas', 'mode', 'status', 'ready'])
      assert.match(rec.stdout, new RegExp(`\\b${field}\\b`), field);
    assert.match(rec.stdout, /replicas\s+<integer> -required-/);

    const spec = await k('explain', 'widgets.spec');
    assert.equal(spec.code, 0, spec.stderr);
    assert.match(spec.stdout, /FIELD: spec <Object>/);
    assert.match(spec.stdout, /Desired state of the widget\./);
    assert.match(spec.stdout, /How many widget copies to run\./);
    assert.match(spec.stdout, /enum: Fast, Slow/);
    assert.match(spec.stdout, /labels\s+<map\[string\]string>/);

    const meta = await k('explain', 'gadgets.metadata.labels');
    assert.equal(meta.code, 0, meta.stderr);
    assert.match(meta.stdout, /FIELD: labels <map\[string\]string>/);

    const file = join(home, 'w.yaml');
    writeFileSync(file, `apiVersion: ${GROUP}/v1alpha1\nkind: Widget\nmetadata: {name: w1, namespace: default}\nspec: {replicas: 2}\n`);
    const created = await k('create', '-f', file);
    assert.equal(created.code, 0, created.stderr);
    const post = seen.find((s) => s.method === 'POST' && s.url.includes('/widgets'));
    assert.ok(post?.url.includes('fieldValidation=Strict'), `kubectl chose server-side validation: ${post?.url}`);

    const g = join(home, 'g.yaml');
    const gadget = (ports: string) => `apiVersion: v1\nkind: Gadget\nmetadata: {name: g1, namespace: default}\nspec:\n  ports: [${ports}]\n`;
    writeFileSync(g, gadget('{name: a, port: 1}, {name: b, port: 2}'));
    const first = await k('apply', '-f', g);
    assert.equal(first.code, 0, first.stderr);
    writeFileSync(g, gadget('{name: a, port: 1}, {name: b, port: 3}'));
    const second = await k('apply', '-f', g);
    assert.equal(second.code, 0, second.stderr);
    const patch = seen.find((s) => s.method === 'PATCH' && s.url.includes('/gadgets/g1'));
    assert.equal(patch?.type, 'application/strategic-merge-patch+json');
    assert.match(patch!.body, /\$setElementOrder\/ports/, 'merge key read from the published schema');
    assert.ok(!seen.some((s) => s.url.startsWith('/openapi/v2')), 'no fallback to OpenAPI v2');
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    rmSync(home, { recursive: true, force: true });
  }
});
