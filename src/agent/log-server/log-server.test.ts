import assert from 'node:assert/strict';
import { request } from 'node:https';
import { checkServerIdentity } from 'node:tls';
import { PassThrough, Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { ApiError, badRequest } from '../../api/errors.js';
import type { LogRequest, LogSource } from '../log-source.js';
import { startLogServer, type LogServer } from './log-server.js';
import { parseLogQuery } from './log-query.js';
import { remoteLogSource } from './remote-log-source.js';
import { createCertificateAuthority } from '../../security/ca.js';
import { ClusterSigner } from '../../security/cluster-signer.js';
import { createCsr } from '../../security/csr.js';
import type { CertKeyPem } from '../../security/keys.js';

let follower: PassThrough | undefined;
let server: LogServer;
let caPem: string;
let signer: ClusterSigner;
let apiserverCert: CertKeyPem;
let nodeClientCert: CertKeyPem;

async function signed(commonName: string, organizations: string[], profile: 'client' | 'serving'): Promise<CertKeyPem> {
  const { csrPem, keyPem } = await createCsr({ commonName, organizations, hosts: profile === 'serving' ? ['127.0.0.1'] : undefined });
  return { certPem: await signer.sign(csrPem, { profile, validitySeconds: 3600 }), keyPem };
}

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

function raw(path: string, client: CertKeyPem | null = apiserverCert): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const creds = client ? { cert: client.certPem, key: client.keyPem } : {};
    const req = request({ host: '127.0.0.1', port: server.port, path, ...creds, ca: caPem, servername: 'node-a', checkServerIdentity: (_sni, cert) => checkServerIdentity('127.0.0.1', cert), agent: false }, async (res) => {
      resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body: await text(res) });
    });
    req.on('error', reject);
    req.end();
  });
}

const client = (cert: () => CertKeyPem = () => apiserverCert, nodeName = 'node-a') =>
  remoteLogSource({ host: '127.0.0.1', port: server.port, nodeName, caPem, clientCertificate: async () => cert() });

before(async () => {
  const ca = await createCertificateAuthority();
  caPem = ca.certPem;
  signer = new ClusterSigner(ca.certPem, ca.keyPem);
  apiserverCert = await signed('workplane:apiserver-kubelet-client', [], 'client');
  nodeClientCert = await signed('system:node:node-b', ['system:nodes'], 'client');
  server = await startLogServer({
    source,
    host: '127.0.0.1',
    port: 0,
    clientCaPem: caPem,
    certificates: new Map([
      ['node-a', await signed('system:node:node-a', ['system:nodes'], 'serving')],
      ['node-b', await signed('system:node:node-b', ['system:nodes'], 'serving')],
    ]),
  });
});
after(() => server.stop());

describe('log server', () => {
  it('serves a container log as text/plain with the request options', async () => {
    const r = await raw('/containerLogs/ns1/web/app?tailLines=5&timestamps=true&previous=1');
    assert.equal(r.status, 200);
    assert.equal(r.type, 'text/plain');
    assert.equal(r.body, 'ns1/web {"previous":true,"timestamps":true,"tailLines":5,"container":"app"}\n');
  });

  it('admits only the API server\'s client certificate, never a bearer token', async () => {
    assert.equal((await raw('/containerLogs/ns1/web/app', null)).status, 401);
    const node = await raw('/containerLogs/ns1/web/app', nodeClientCert);
    assert.equal(node.status, 403);
    assert.match(JSON.parse(node.body).message, /user=system:node:node-b/);
    // A client certificate of another CA does not pass either.
    const other = await createCertificateAuthority({ commonName: 'other' });
    const foreign = await new ClusterSigner(other.certPem, other.keyPem).issueClientCert('workplane:apiserver-kubelet-client', [], 3600);
    assert.equal((await raw('/containerLogs/ns1/web/app', foreign)).status, 401);
    await assert.rejects(client(() => nodeClientCert).logs('ns1', 'web', { container: 'app' }), (e: ApiError) => e.code === 403);
  });

  it('serves each node\'s own certificate, and the API server checks it is the node it asked for', async () => {
    assert.equal(await text(await client(undefined, 'node-b').logs('ns1', 'web', { container: 'app' })), 'ns1/web {"container":"app"}\n');
    // An agent that is not serving node-c cannot pass for it.
    await assert.rejects(client(undefined, 'node-c').logs('ns1', 'web', { container: 'app' }), (e: ApiError) => e.code === 500 && /not node "system:node:node-c"/.test(e.message));
  });

  it('answers unknown paths with 404 and bad options with 422', async () => {
    assert.equal((await raw('/pods')).status, 404);
    const r = await raw('/containerLogs/ns1/web/app?tailLines=-1');
    assert.equal(r.status, 422);
    assert.match(JSON.parse(r.body).message, /tailLines: Invalid value: -1: must be greater than or equal to 0/);
    // Query values decode as kube's do: a malformed integer is a 400 (strconv's message); any boolean but false/0 is true.
    const bad = await raw('/containerLogs/ns1/web/app?tailLines=ten');
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
    const down = remoteLogSource({ host: '127.0.0.1', port: 1, nodeName: 'node-a', caPem, clientCertificate: async () => apiserverCert });
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
