import assert from 'node:assert/strict';
import { request } from 'node:https';
import { PassThrough, Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { ApiError, badRequest } from '../../api/errors.js';
import type { LogRequest, LogSource } from '../log-source.js';
import { startLogServer, type LogServer } from './log-server.js';
import { parseLogQuery } from './log-query.js';
import { remoteLogSource } from './remote-log-source.js';
import { cachedVerifier } from './token-verifier.js';

const TOKEN = 'good-token';
let verifyCalls = 0;
let follower: PassThrough | undefined;
let server: LogServer;

const source: LogSource = {
  async logs(namespace: string, podName: string, opts: LogRequest): Promise<Readable> {
    if (podName === 'missing') throw new ApiError(404, 'NotFound', `pod "${podName}" not found`);
    if (opts.container === 'waiting') throw badRequest(`container "waiting" in pod "${podName}" is waiting to start: ContainerCreating`);
    if (opts.follow) {
      follower = new PassThrough();
      follower.write('first\n');
      return follower;
    }
    return Readable.from([`${namespace}/${podName} ${JSON.stringify(opts)}\n`]);
  },
};

async function text(s: Readable): Promise<string> {
  let out = '';
  for await (const c of s) out += String(c);
  return out;
}

function raw(path: string, token?: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
    const req = request({ host: '127.0.0.1', port: server.port, path, headers, rejectUnauthorized: false, agent: false }, async (res) => {
      resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body: await text(res) });
    });
    req.on('error', reject);
    req.end();
  });
}

const client = (token = TOKEN) => remoteLogSource({ host: '127.0.0.1', port: server.port, token: async () => token });

before(async () => {
  server = await startLogServer({
    source,
    host: '127.0.0.1',
    port: 0,
    verify: async (t) => {
      verifyCalls++;
      return t === TOKEN;
    },
  });
});
after(() => server.stop());

describe('log server', () => {
  it('serves a container log as text/plain with the request options', async () => {
    const r = await raw('/containerLogs/ns1/web/app?tailLines=5&timestamps=true&previous=1', TOKEN);
    assert.equal(r.status, 200);
    assert.equal(r.type, 'text/plain');
    assert.equal(r.body, 'ns1/web {"previous":true,"timestamps":true,"tailLines":5,"container":"app"}\n');
  });

  it('rejects requests without a valid token and remembers verdicts', async () => {
    assert.equal((await raw('/containerLogs/ns1/web/app')).status, 401);
    const before = verifyCalls;
    assert.equal((await raw('/containerLogs/ns1/web/app', 'bad')).status, 401);
    assert.equal((await raw('/containerLogs/ns1/web/app', 'bad')).status, 401);
    await raw('/containerLogs/ns1/web/app', TOKEN);
    await raw('/containerLogs/ns1/web/app', TOKEN);
    assert.equal(verifyCalls - before, 1, 'the bad token checked once; the good one was known already');
    await assert.rejects(client('bad').logs('ns1', 'web', { container: 'app' }), (e: ApiError) => e.code === 401);
  });

  it('answers unknown paths with 404 and bad options with 422', async () => {
    assert.equal((await raw('/pods', TOKEN)).status, 404);
    const r = await raw('/containerLogs/ns1/web/app?tailLines=-1', TOKEN);
    assert.equal(r.status, 422);
    assert.match(JSON.parse(r.body).message, /tailLines: Invalid value: -1: must be greater than or equal to 0/);
    // Query values decode as kube's do: a malformed integer is a 400 (strconv's message); any boolean but false/0 is true.
    const bad = await raw('/containerLogs/ns1/web/app?tailLines=ten', TOKEN);
    assert.equal(bad.status, 400);
    assert.match(JSON.parse(bad.body).message, /strconv\.ParseInt: parsing "ten": invalid syntax/);
  });

  it('round-trips through the remote log source, errors included', async () => {
    const logs = client();
    assert.equal(await text(await logs.logs('ns1', 'web', { container: 'app', limitBytes: 9, sinceSeconds: 3 })), 'ns1/web {"limitBytes":9,"sinceSeconds":3,"container":"app"}\n');
    await assert.rejects(logs.logs('ns1', 'web', { container: 'waiting' }), (e: ApiError) => {
      assert.equal(e.code, 400);
      assert.equal(e.message, 'container "waiting" in pod "web" is waiting to start: ContainerCreating');
      return true;
    });
    await assert.rejects(logs.logs('ns1', 'missing', { container: 'app' }), (e: ApiError) => e.code === 404 && e.message === 'pod "missing" not found');
  });

  it('streams a follower and closes the source when the client leaves', async () => {
    const stream = await client().logs('ns1', 'web', { container: 'app', follow: true });
    const first = await new Promise<string>((resolve) => stream.once('data', (c) => resolve(String(c))));
    assert.equal(first, 'first\n');
    const src = follower!;
    const closed = new Promise((r) => src.once('close', r));
    src.write('second\n');
    stream.destroy();
    await closed;
  });

  it('fails cleanly when no agent listens', async () => {
    const down = remoteLogSource({ host: '127.0.0.1', port: 1, token: async () => TOKEN });
    await assert.rejects(down.logs('ns1', 'web', { container: 'app' }), (e: ApiError) => e.code === 500 && /Get "https:\/\/127\.0\.0\.1:1\/containerLogs\/ns1\/web\/app"/.test(e.message));
  });
});

describe('parseLogQuery', () => {
  it('reads kubectl flags and validates them as PodLogOptions', () => {
    const q = new URLSearchParams('container=c&follow=true&timestamps=false&tailLines=3&limitBytes=0&sinceSeconds=5&sinceTime=2020-01-01T00:00:00Z');
    const { request, errors } = parseLogQuery(q);
    assert.deepEqual(request, { container: 'c', follow: true, tailLines: 3 });
    assert.deepEqual(
      errors.map((e) => [e.field, e.detail]),
      [
        ['limitBytes', 'must be greater than 0'],
        ['', 'at most one of `sinceTime` or `sinceSeconds` may be specified'],
      ],
    );
    const since = parseLogQuery(new URLSearchParams('sinceTime=2020-01-01T00:00:10Z'), Date.parse('2020-01-01T00:01:00Z'));
    assert.equal(since.request.sinceSeconds, 50);
  });
});

describe('cachedVerifier', () => {
  it('remembers acceptances longer than rejections and never remembers errors', async () => {
    let now = 0;
    const calls: string[] = [];
    let fail = false;
    const verify = cachedVerifier(
      async (t) => {
        calls.push(t);
        if (fail) throw new Error('api server down');
        return t === 'good';
      },
      { ttlMs: 100, failureTtlMs: 10, clock: () => now },
    );
    assert.equal(await verify('good'), true);
    assert.equal(await verify('bad'), false);
    now = 50;
    assert.equal(await verify('good'), true);
    assert.equal(await verify('bad'), false);
    assert.deepEqual(calls, ['good', 'bad', 'bad']);
    now = 200;
    fail = true;
    await assert.rejects(verify('good'));
    fail = false;
    assert.equal(await verify('good'), true);
    assert.deepEqual(calls, ['good', 'bad', 'bad', 'good', 'good']);
  });
});
