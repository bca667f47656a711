import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { ApiError } from '../api/errors.js';
import { writeError } from './response.js';
import { StaticFiles } from './static-files.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

describe('StaticFiles', () => {
  let dir: string;
  let server: Server;
  let port: number;
  const bigJs = `console.log(${JSON.stringify('x'.repeat(5000))});\n`;

  /** Sends `path` exactly as written (no client-side normalisation of `..`). */
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    new Promise<Reply>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'static-files-'));
    const root = join(dir, 'static');
    mkdirSync(join(root, 'sub'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(root, 'console-AB12CD34.js'), bigJs);
    writeFileSync(join(root, 'sub', 'notes.txt'), 'hello');
    writeFileSync(join(root, '.env'), 'SECRET=1');
    writeFileSync(join(dir, 'secret.txt'), 'outside the root');
    symlinkSync(join(dir, 'secret.txt'), join(root, 'link.txt'));
    const files = new StaticFiles({ root, prefix: '/console' });
    const missing = new StaticFiles({ root: join(dir, 'nope'), prefix: '/missing', missingHint: 'run `npm run build`' });
    // Routed as the API server routes: on the WHATWG-parsed pathname.
    server = createServer((req, res) => {
      const p = new URL(req.url ?? '/', 'http://localhost').pathname;
      try {
        if (files.owns(p)) files.serve(req, res, p);
        else if (missing.owns(p)) missing.serve(req, res, p);
        else writeError(res, new ApiError(404, 'NotFound', 'not routed'));
      } catch (e) {
        writeError(res, e);
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });

  after(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html for /console and /console/, revalidated on every load, with the page security headers', async () => {
    for (const p of ['/console', '/console/']) {
      const r = await get(p);
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(r.headers['cache-control'], 'no-cache');
      assert.match(String(r.headers['content-security-policy']), /default-src 'none'; script-src 'self'/);
      assert.equal(r.headers['x-content-type-options'], 'nosniff');
      assert.equal(r.body.toString(), '<!doctype html><title>console</title>');
    }
  });

  it('content-hashed files are cached for good; others by ETag, answering 304 when unchanged', async () => {
    const js = await get('/console/console-AB12CD34.js');
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
    const txt = await get('/console/sub/notes.txt');
    assert.equal(txt.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(txt.headers['cache-control'], 'no-cache');
    const etag = String(txt.headers.etag);
    assert.match(etag, /^"[\w-]+"$/);
    const again = await get('/console/sub/notes.txt', { 'If-None-Match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    assert.equal((await get('/console/sub/notes.txt', { 'If-None-Match': '"other"' })).status, 200);
  });

  it('compresses text for clients that accept gzip, and HEAD sends headers only', async () => {
    const gz = await get('/console/console-AB12CD34.js', { 'Accept-Encoding': 'gzip, br' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gz.headers.vary, 'Accept-Encoding');
    assert.equal(gunzipSync(gz.body).toString(), bigJs);
    const plain = await get('/console/console-AB12CD34.js');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body.toString(), bigJs);
    const head = await get('/console/console-AB12CD34.js', {}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], String(bigJs.length));
    assert.equal(head.body.length, 0);
  });

  it('nothing outside the root, no hidden files, no directories, no symlinks leading out', async () => {
    const refused = [
      '/console/../secret.txt', // normalised by the URL parser to /secret.txt: not the console's
      '/console/%2e%2e/secret.txt',
      '/console/..%2Fsecret.txt',
      '/console/sub/..%2F..%2Fsecret.txt',
      '/console/%2e%2e%5csecret.txt',
      '/console/.env',
      '/console/sub',
      '/console/sub/',
      '/console//index.html',
      '/console/link.txt',
      '/console/index.html%00.txt',
      '/console/nope.js',
    ];
    for (const p of refused) {
      const r = await get(p);
      assert.ok(r.status === 404 || r.status === 400, `${p}: ${r.status}`);
      assert.doesNotMatch(r.body.toString(), /outside the root|SECRET|\/tmp\//, p);
    }
    const bad = await get('/console/%E0%A4%A');
    assert.equal(bad.status, 400);
    assert.equal(JSON.parse(bad.body.toString()).reason, 'BadRequest');
  });

  it('only reads: other methods get 405 with Allow', async () => {
    const r = await get('/console/index.html', {}, 'POST');
    assert.equal(r.status, 405);
    assert.equal(r.headers.allow, 'GET, HEAD');
    assert.equal(JSON.parse(r.body.toString()).reason, 'MethodNotAllowed');
  });

  it('a missing bundle is a 404 that says how to build it', async () => {
    const r = await get('/missing/');
    assert.equal(r.status, 404);
    assert.match(JSON.parse(r.body.toString()).message, /run `npm run build`/);
  });
});
