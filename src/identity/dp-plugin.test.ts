// Identity end to end over a real DP stream: the DP server with the identity
// plug-in, a proxy session with the proxy side writing its files.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import type { KObject } from '../api/object.js';
import { openDpSession, type DpSessionHandle } from '../dp/agent/dp-session.js';
import type { DpSession } from '../dp/server/stream-handler.js';
import { DpError } from '../dp/server/dp-error.js';
import { dataplaneManifest, DpEnv, eventually } from '../dp/testing/dp-env.js';
import { identitySessionHooks, ProxyIdentity } from './proxy-side.js';
import { startIdentityControllers, type IdentityControllers } from './start.js';
import { hasOpenssl, opensslVerify, seedMeshIdentity, SYSTEM_NS } from './testing.js';
import { canonicalTime } from '../api/timestamps.js';

const MIDS = { group: 'kuma.io', version: 'v1alpha1', resource: 'meshidentities' };
const SECRETS = { group: '', version: 'v1', resource: 'secrets' };
const ready = (mi: KObject | undefined) => ((mi?.status as { conditions?: { type: string; status: string }[] })?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

async function startIdentity(env: DpEnv, abort: AbortController): Promise<IdentityControllers> {
  const identity = startIdentityControllers(env.client, abort.signal, { systemNamespace: SYSTEM_NS });
  env.dp.addHandler(identity.dpPlugin({ insights: env.dp.insights }));
  return identity;
}

describe('identity over the DP stream', () => {
  let env: DpEnv;
  let abort: AbortController;
  let identity: IdentityControllers;
  const dirs: string[] = [];
  const sessions: DpSessionHandle[] = [];

  before(async () => {
    env = await DpEnv.start();
    abort = new AbortController();
    identity = await startIdentity(env, abort);
    await env.client.resource(MIDS).create(SYSTEM_NS, seedMeshIdentity());
    await eventually(() => env.client.resource(MIDS).get(SYSTEM_NS, 'workload-identity'), ready);
  });
  after(async () => {
    for (const s of sessions) await s.close(true);
    abort.abort();
    await identity.done;
    await env.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('a demo-workload proxy receives spiffe://example.com/workload/demo-workload; files verify with openssl', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wp-identity-dir-'));
    dirs.push(dir);
    const proxy = new ProxyIdentity({ dir });
    const hooks = identitySessionHooks(proxy);
    const session = await openDpSession({
      address: env.dp.address,
      caPem: env.pki.caPem,
      token: await env.token({ mesh: 'default', workload: 'demo-workload' }),
      dataplane: dataplaneManifest('demo-1', { workload: 'demo-workload' }),
      onMessage: hooks.onMessage,
      onStateChange: hooks.onStateChange,
    });
    sessions.push(session);
    hooks.attach(session);
    await eventually(async () => proxy.current, (c) => c !== undefined);

    const certPem = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const keyPem = readFileSync(join(dir, 'key.pem'), 'utf8');
    const bundlePem = readFileSync(join(dir, 'bundle.pem'), 'utf8');
    const cert = new X509Certificate(certPem);
    assert.equal(cert.subjectAltName, 'URI:spiffe://example.com/workload/demo-workload');
    assert.ok(cert.checkPrivateKey(createPrivateKey(keyPem)));
    assert.equal(statSync(join(dir, 'key.pem')).mode & 0o777, 0o600);
    assert.ok(cert.verify(new X509Certificate(bundlePem).publicKey));
    if (hasOpenssl()) assert.match(opensslVerify(bundlePem, certPem), /OK/);

    const dpi = await eventually(() => env.insight('default', 'demo-1'), (d) => !!(d?.status as { mTLS?: unknown })?.mTLS);
    const mtls = (dpi!.status as { mTLS: Record<string, unknown> }).mTLS;
    assert.equal(mtls.spiffeID, 'spiffe://example.com/workload/demo-workload');
    assert.equal(mtls.issuedBackend, 'workload-identity');
    // Stored as kube stores times: RFC 3339 in whole seconds.
    assert.equal(mtls.certificateExpirationTime, canonicalTime(new Date(Date.parse(cert.validTo)).toISOString(), 'seconds'));
  });

  test('the connect-time rule refuses with the spec message', () => {
    identity.registry.set({ ...identity.registry.get(`${SYSTEM_NS}/workload-identity`)!, key: `${SYSTEM_NS}/every`, name: 'every', matchLabels: {} });
    const plugin = identity.dpPlugin();
    const dp = dataplaneManifest('bare', {});
    assert.throws(
      () => plugin.authorize(dp),
      (e) =>
        e instanceof DpError &&
        e.code === status.INVALID_ARGUMENT &&
        e.message === "missing required label 'kuma.io/workload' - dataplane is selected by MeshIdentity 'every' with path template '/workload/{{ .Workload }}'",
    );
    assert.throws(() => plugin.onConnect!({ dataplane: dp } as DpSession), DpError);
    identity.registry.delete(`${SYSTEM_NS}/every`);
    assert.doesNotThrow(() => plugin.authorize(dp));
  });
});

test('the autogenerated CA is kept across control plane restarts', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wp-identity-restart-'));
  const run = async () => {
    const env = await DpEnv.start({ storage: 'sqlite', dataDir });
    const abort = new AbortController();
    const identity = await startIdentity(env, abort);
    const mids = env.client.resource(MIDS);
    if (!(await mids.get(SYSTEM_NS, 'workload-identity'))) await mids.create(SYSTEM_NS, seedMeshIdentity());
    await eventually(async () => identity.registry.get(`${SYSTEM_NS}/workload-identity`)?.ca?.fingerprint, (f) => f !== undefined);
    const fingerprint = identity.registry.get(`${SYSTEM_NS}/workload-identity`)!.ca!.fingerprint;
    const secret = (await env.client.resource(SECRETS).get(SYSTEM_NS, 'workload-identity-root-ca'))!;
    abort.abort();
    await identity.done;
    await env.stop();
    return { fingerprint, uid: secret.metadata.uid, data: JSON.stringify(secret.data) };
  };
  try {
    const first = await run();
    const second = await run();
    assert.deepEqual(second, first);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
