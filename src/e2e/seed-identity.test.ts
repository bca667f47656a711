// Seed 001 (MeshIdentity for a workload) walked through end to end: the real
// kubectl applies the seed's MeshIdentity to `workplane serve` in its own
// process, and `workplane dp run --identity-dir` (a child process with a
// dataplane token) receives the SPIFFE certificate, which must verify against
// the bundle it was given, with Node's X509Certificate and with openssl.
// Every wait is bounded; the server, proxy and temp dirs are cleaned up.

import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { CLI, Kubectl, ServerProcess } from '../testing/server-process.js';

const SYSTEM_NS = 'kuma-system';
const SPIFFE_ID = 'spiffe://example.com/workload/demo-workload';
const WAIT = '--timeout=60s';

// The seed's MeshIdentity, as the documentation shows it ({{site.mesh_namespace}} is kuma-system).
const MESH_IDENTITY = `apiVersion: kuma.io/v1alpha1
kind: MeshIdentity
metadata:
  name: workload-identity
  namespace: ${SYSTEM_NS}
  labels:
    kuma.io/mesh: default
spec:
  selector:
    dataplane:
      matchLabels:
        kuma.io/workload: demo-workload
  spiffeID:
    trustDomain: example.com
    path: "/workload/{{ .Workload }}"
  provider:
    type: Bundled
    bundled:
      meshTrustCreation: Enabled
      insecureAllowSelfSigned: true
      autogenerate:
        enabled: true
`;

const dataplaneYaml = (port: number) => `apiVersion: kuma.io/v1alpha1
kind: Dataplane
metadata:
  name: demo-workload-01
  namespace: default
  labels:
    kuma.io/workload: demo-workload
spec:
  networking:
    address: 127.0.0.1
    inbound:
    - port: ${port}
      tags:
        kuma.io/service: demo-workload
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `read` until it returns something other than undefined; fails after `timeoutMs` with `context()`. */
async function until<T>(what: string, read: () => T | undefined | Promise<T | undefined>, context: () => string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms\n${context()}`);
    await sleep(200);
  }
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: unknown }).code as number) ?? 1 : 0, stdout, stderr }),
    );
  });
}

const hasOpenssl = async () => (await run('openssl', ['version'])).code === 0;

describe('seed 001: MeshIdentity issues a SPIFFE certificate to `workplane dp run`', { timeout: 240_000 }, () => {
  let server: ServerProcess;
  let k: Kubectl;
  let tmp: string;
  let app: Server;
  let proxy: ChildProcess | undefined;
  let proxyOutput = '';
  let proxyExit: Promise<number | null> | undefined;
  const idDir = () => join(tmp, 'identity');
  const read = (file: string) => readFileSync(join(idDir(), file), 'utf8');

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'workplane-seed-identity-'));
    app = createServer((s) => s.destroy());
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', () => r()));
    server = await new ServerProcess({ storage: 'memory', extraArgs: ['--agent-nodes', '0'] }).start();
    k = new Kubectl(server);
  });

  after(async () => {
    if (proxy && proxy.exitCode === null && proxy.signalCode === null) {
      proxy.kill('SIGKILL');
      await proxyExit;
    }
    await server?.cleanup();
    k?.cleanup();
    await new Promise<void>((r) => app.close(() => r()));
    rmSync(tmp, { recursive: true, force: true });
  });

  it('applies the seed MeshIdentity; it becomes Ready and its MeshTrust holds the CA', async () => {
    await k.ok(['apply', '-f', '-'], MESH_IDENTITY);
    await k.ok(['wait', 'meshidentity/workload-identity', '-n', SYSTEM_NS, '--for=condition=Ready', WAIT]);
    const trust = parseYaml(await k.ok(['get', 'meshtrust', 'workload-identity', '-n', SYSTEM_NS, '-o', 'yaml'])) as {
      spec: { trustDomain: string; caBundles: { type: string; pem: { value: string } }[] };
    };
    assert.equal(trust.spec.trustDomain, 'example.com');
    assert.equal(trust.spec.caBundles.length, 1);
    assert.equal(trust.spec.caBundles[0]!.type, 'Pem');
    const ca = new X509Certificate(trust.spec.caBundles[0]!.pem.value);
    assert.ok(ca.ca, 'the bundle holds a CA certificate');
    assert.equal(ca.subjectAltName, 'URI:spiffe://example.com');
  });

  it('dp run --identity-dir writes cert.pem, key.pem (0600) and bundle.pem for the SPIFFE ID', async () => {
    const kubeconfig = { KUBECONFIG: server.kubeconfig };
    const issued = await run(process.execPath, [CLI, 'token', 'dataplane', '--mesh', 'default', '--workload', 'demo-workload', '-n', 'default'], kubeconfig);
    assert.equal(issued.code, 0, issued.stderr);
    const tokenFile = join(tmp, 'token');
    const dpFile = join(tmp, 'dataplane.yaml');
    writeFileSync(tokenFile, issued.stdout.trim());
    writeFileSync(dpFile, dataplaneYaml((app.address() as { port: number }).port));

    const child = spawn(process.execPath, [CLI, 'dp', 'run', '--dataplane-file', dpFile, '--token-file', tokenFile, '--identity-dir', idDir()], {
      env: { ...process.env, ...kubeconfig },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proxy = child;
    proxyExit = new Promise((r) => child.once('exit', (code) => r(code)));
    child.stdout!.on('data', (d: Buffer) => (proxyOutput += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (proxyOutput += d.toString()));
    const output = () => `dp run output:\n${proxyOutput}`;
    await until('identity written', () => (proxyOutput.includes(`identity ${SPIFFE_ID} written`) ? true : undefined), output);

    const cert = new X509Certificate(read('cert.pem'));
    const bundle = new X509Certificate(read('bundle.pem'));
    assert.equal(cert.subjectAltName, `URI:${SPIFFE_ID}`);
    assert.ok(cert.checkIssued(bundle), 'issued by the bundle CA');
    assert.ok(cert.verify(bundle.publicKey), 'signed by the bundle CA');
    assert.ok(cert.checkPrivateKey(createPrivateKey(read('key.pem'))), 'key.pem is the certificate key');
    assert.equal(statSync(join(idDir(), 'key.pem')).mode & 0o777, 0o600);
    if (await hasOpenssl()) {
      const v = await run('openssl', ['verify', '-CAfile', join(idDir(), 'bundle.pem'), join(idDir(), 'cert.pem')]);
      assert.equal(v.code, 0, v.stderr);
      assert.match(v.stdout, /cert\.pem: OK/);
    }

    const spiffeId = await until(
      'DataplaneInsight status.mTLS.spiffeID',
      async () => {
        const r = await k.run(['get', 'dataplaneinsight', 'demo-workload-01', '-n', 'default', '-o', 'jsonpath={.status.mTLS.spiffeID}']);
        return r.code === 0 && r.stdout ? r.stdout : undefined;
      },
      output,
    );
    assert.equal(spiffeId, SPIFFE_ID);
  });

  it('replaces the certificate when the identity changes and renews it before expiry, keeping the key', async () => {
    const certOf = () => new X509Certificate(read('cert.pem'));
    const keyBefore = read('key.pem');
    const first = certOf().serialNumber;
    const patch = { spec: { provider: { bundled: { certificateParameters: { expiry: '6s' } } } } };
    await k.ok(['patch', 'meshidentity', 'workload-identity', '-n', SYSTEM_NS, '--type=merge', '-p', JSON.stringify(patch)]);
    const output = () => `dp run output:\n${proxyOutput}`;
    const short = await until('a certificate with the new lifetime', () => {
      const c = certOf();
      return c.serialNumber !== first ? c : undefined;
    }, output);
    const lifetime = Date.parse(short.validTo) - Date.parse(short.validFrom);
    assert.ok(lifetime <= 20_000, `lifetime ${lifetime} ms follows the 6s expiry (plus the NotBefore skew)`);
    // Renewal at 4/5 of the lifetime: a further certificate arrives unasked.
    const renewed = await until('a renewed certificate', () => {
      const c = certOf();
      return c.serialNumber !== short.serialNumber ? c : undefined;
    }, output);
    assert.equal(renewed.subjectAltName, `URI:${SPIFFE_ID}`);
    assert.equal(read('key.pem'), keyBefore, 'renewals re-sign the key the proxy holds');
    assert.ok(renewed.checkPrivateKey(createPrivateKey(keyBefore)));
    assert.ok(renewed.verify(new X509Certificate(read('bundle.pem')).publicKey));
  });

  it('stops cleanly on SIGTERM: exit 0, Dataplane deleted, identity files kept', async () => {
    assert.ok(proxy && proxyExit);
    proxy.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([proxyExit, new Promise<string>((r) => (timer = setTimeout(() => r('no exit within 30 s'), 30_000)))]);
    clearTimeout(timer);
    assert.equal(code, 0, `dp run output:\n${proxyOutput}`);
    assert.match(proxyOutput, /dataplane default\/demo-workload-01: stopped/);
    const r = await k.run(['get', 'dataplane', 'demo-workload-01', '-n', 'default']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /NotFound/);
    assert.ok(existsSync(join(idDir(), 'cert.pem')));
  });
});
