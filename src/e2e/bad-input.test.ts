// Bad input never corrupts or half-writes: each kind of refusal with its status
// code and Status reason, and the store unchanged afterwards.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startControlPlane, type ControlPlane } from '../controlplane/control-plane.js';
import { serveOptions } from '../controlplane/options.js';

describe('bad input', () => {
  let cp: ControlPlane;
  let dir: string;
  const base = '/apis/example.workplane.dev/v1/namespaces/default/widgets';

  function send(method: string, path: string, body: string | Buffer, contentType = 'application/json'): Promise<{ status: number; json: Record<string, any> }> {
    return new Promise((resolve, reject) => {
      const req = request(
        `${cp.url}${path}`,
        { method, ca: cp.caPem, headers: { Authorization: `Bearer ${cp.adminToken}`, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString() || '{}') }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  const widget = (name: string, spec: Record<string, unknown> = { replicas: 1, image: 'nginx' }) =>
    JSON.stringify({ apiVersion: 'example.workplane.dev/v1', kind: 'Widget', metadata: { name }, spec });

  async function names(): Promise<string[]> {
    const r = await send('GET', base, '');
    return (r.json.items as { metadata: { name: string } }[]).map((i) => i.metadata.name).sort();
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wp-bad-input-'));
    cp = await startControlPlane(serveOptions({ dataDir: dir, storage: 'sqlite', runtimeConfig: { 'example.workplane.dev/v1': true } }));
    assert.equal((await send('POST', base, widget('keep'))).status, 201);
  });

  after(async () => {
    await cp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('malformed JSON and YAML → 400 BadRequest', async () => {
    const j = await send('POST', base, '{"apiVersion": "example.workplane.dev/v1", "kind": ');
    assert.equal(j.status, 400);
    assert.equal(j.json.reason, 'BadRequest');
    const y = await send('POST', base, 'metadata: {name: [unclosed', 'application/yaml');
    assert.equal(y.status, 400);
  });

  it('schema violations and invalid names → 422 with a cause per field', async () => {
    const r = await send('POST', base, widget('Bad_Name', { replicas: -1, image: 'x' }));
    assert.equal(r.status, 422);
    assert.equal(r.json.reason, 'Invalid');
    const fields = (r.json.details.causes as { field: string }[]).map((c) => c.field).sort();
    assert.deepEqual(fields, ['metadata.name', 'spec.replicas']);
  });

  it('unknown and duplicate fields under fieldValidation=Strict → 400 naming them', async () => {
    const r = await send('POST', `${base}?fieldValidation=Strict`, widget('strict', { replicas: 1, image: 'x', bogus: true }));
    assert.equal(r.status, 400);
    assert.match(r.json.message, /unknown field "spec\.bogus"/);
    const dup = await send('POST', `${base}?fieldValidation=Strict`, '{"apiVersion":"example.workplane.dev/v1","kind":"Widget","metadata":{"name":"dup"},"spec":{"image":"a","image":"b"}}');
    assert.equal(dup.status, 400);
    assert.match(dup.json.message, /duplicate field "spec\.image"/);
  });

  it('bodies over 3 MiB → 413', async () => {
    const big = widget('big', { replicas: 1, image: 'x'.repeat(3 * 1024 * 1024 + 10) });
    const r = await send('POST', base, big);
    assert.equal(r.status, 413);
    assert.equal(r.json.reason, 'RequestEntityTooLarge');
  });

  it('a stale resourceVersion → 409 Conflict, and the object keeps its value', async () => {
    const cur = await send('GET', `${base}/keep`, '');
    const obj = cur.json;
    obj.spec.replicas = 2;
    assert.equal((await send('PUT', `${base}/keep`, JSON.stringify(obj))).status, 200);
    obj.spec.replicas = 3; // still carries the old resourceVersion
    const r = await send('PUT', `${base}/keep`, JSON.stringify(obj));
    assert.equal(r.status, 409);
    assert.equal(r.json.reason, 'Conflict');
    assert.equal((await send('GET', `${base}/keep`, '')).json.spec.replicas, 2);
  });

  it('nothing refused was written', async () => {
    assert.deepEqual(await names(), ['keep']);
  });
});
