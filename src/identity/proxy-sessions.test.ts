import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import type { KObject } from '../api/object.js';
import { firstPem } from './der/pem.js';
import { IdentityRegistry } from './identity-registry.js';
import { Issuer } from './issuer.js';
import type { IdentityControlMessage } from './messages.js';
import { ProxySessions } from './proxy-sessions.js';
import { dataplane, FakeClock, hasOpenssl, issuedByBundle, makeCsr, makeSigningCa, meshIdentity, opensslVerify, readyEntry } from './testing.js';

type IdentityMsg = { certPem: string; bundlePem: string; spiffeId: string; expirationTime: string };

class Channel {
  readonly sent: IdentityControlMessage[] = [];
  constructor(
    readonly id: string,
    readonly dataplane: KObject,
  ) {}
  get namespace() {
    return this.dataplane.metadata.namespace!;
  }
  get name() {
    return this.dataplane.metadata.name!;
  }
  send = (m: IdentityControlMessage) => void this.sent.push(m);
  identities = () => this.sent.filter((m): m is { identity: IdentityMsg } => 'identity' in m).map((m) => m.identity);
  last = () => this.identities().at(-1)!;
  errors = () => this.sent.filter((m): m is { error: { message: string } } => 'error' in m).map((m) => m.error.message);
}

const workload = (w: string, mesh = 'default') => meshIdentity(`id-${w}`, { selector: { dataplane: { matchLabels: { 'kuma.io/workload': w } } }, spiffeID: { trustDomain: 'example.com' } }, { 'kuma.io/mesh': mesh });

async function setup(expiryMs = 86_400_000) {
  const clock = new FakeClock();
  const registry = new IdentityRegistry();
  const records: Record<string, Record<string, unknown>> = {};
  const insights = {
    update: async (ns: string, name: string, mutate: (s: Record<string, unknown>) => boolean) => void mutate((records[`${ns}/${name}`] ??= {})),
  };
  const sessions = new ProxySessions(new Issuer(registry, { now: clock.now }), { clock, insights });
  const ca1 = await makeSigningCa();
  registry.set(readyEntry(workload('web'), ca1.ca, 'example.com', expiryMs));
  registry.setMeshTrust('default', 'kuma-system/id-web', ca1.pem.certPem);
  const flush = async () => {
    await new Promise((r) => setImmediate(r));
    await sessions.settled();
  };
  const connect = async (name: string, labels: Record<string, string>, keyType = 'ecdsa-p256') => {
    const ch = new Channel(`s-${name}`, dataplane(name, labels));
    sessions.open(ch);
    sessions.request(ch.id, await makeCsr(keyType));
    await flush();
    return ch;
  };
  return { clock, registry, sessions, ca1, records, flush, connect };
}

test('a connected proxy gets its certificate and status.mTLS records it', async () => {
  const { connect, records, sessions } = await setup();
  const ch = await connect('web-1', { 'kuma.io/workload': 'web' });
  assert.equal(ch.identities().length, 1);
  const id = ch.last();
  assert.equal(id.spiffeId, 'spiffe://example.com/workload/web');
  assert.ok(issuedByBundle(id.certPem, id.bundlePem));
  const mtls = records['default/web-1']!.mTLS as Record<string, unknown>;
  assert.equal(mtls.spiffeID, 'spiffe://example.com/workload/web');
  assert.equal(mtls.issuedBackend, 'id-web');
  assert.equal(mtls.certificateRegenerations, 1);
  assert.equal(mtls.certificateExpirationTime, id.expirationTime);
  assert.deepEqual(mtls.supportedBackends, ['id-web']);
  sessions.stop();
});

test('renewal at 4/5 of a short expiry re-issues, and only then', async () => {
  const { connect, clock, flush, records, sessions } = await setup(10_000);
  const ch = await connect('web-1', { 'kuma.io/workload': 'web' });
  const first = new X509Certificate(ch.last().certPem);
  const issuedAt = Math.floor(clock.now() / 1000) * 1000;
  assert.equal(Date.parse(first.validTo), issuedAt + 10_000);
  assert.equal(sessions.scheduler.scheduledAt('s-web-1'), issuedAt + 8_000);
  clock.advance(issuedAt + 7_999 - clock.now());
  await flush();
  assert.equal(ch.identities().length, 1);
  clock.advance(1);
  await flush();
  assert.equal(ch.identities().length, 2);
  const second = new X509Certificate(ch.last().certPem);
  assert.notEqual(second.serialNumber, first.serialNumber);
  assert.equal(Date.parse(second.validTo), issuedAt + 8_000 + 10_000);
  assert.equal((records['default/web-1']!.mTLS as { certificateRegenerations: number }).certificateRegenerations, 2);
  assert.equal(sessions.scheduler.scheduledAt('s-web-1'), issuedAt + 8_000 + 8_000);
  sessions.stop();
});

test('rotation with no downtime: a new identity takes over by precedence, both CAs trusted meanwhile', async () => {
  const { connect, registry, flush, ca1, sessions } = await setup();
  const moving = await connect('web-1', { 'kuma.io/workload': 'web', app: 'new' });
  const staying = await connect('web-2', { 'kuma.io/workload': 'web' });
  const oldCert = staying.last().certPem;

  const ca2 = await makeSigningCa();
  const newer = meshIdentity('id-web-v2', { selector: { dataplane: { matchLabels: { 'kuma.io/workload': 'web', app: 'new' } } }, spiffeID: { trustDomain: 'example.com' } });
  registry.set(readyEntry(newer, ca2.ca, 'example.com'));
  registry.setMeshTrust('default', 'kuma-system/id-web-v2', ca2.pem.certPem);
  await flush();

  const moved = moving.last();
  assert.ok(new X509Certificate(moved.certPem).verify(ca2.ca.cert.publicKey), 'moved proxy is signed by the new CA');
  assert.equal(moved.spiffeId, 'spiffe://example.com/workload/web');
  // The proxy left on the old identity keeps its certificate and learns the new CA.
  assert.equal(staying.last().certPem, oldCert);
  for (const bundle of [moved.bundlePem, staying.last().bundlePem]) {
    assert.ok(issuedByBundle(oldCert, bundle), 'old CA trusted');
    assert.ok(issuedByBundle(moved.certPem, bundle), 'new CA trusted');
    if (hasOpenssl()) {
      opensslVerify(bundle, oldCert);
      opensslVerify(bundle, moved.certPem);
    }
  }
  assert.ok(ca1);
  sessions.stop();
});

test('a CA change re-signs every proxy key under the new CA', async () => {
  const { connect, registry, flush, sessions } = await setup();
  const chs = [await connect('a', { 'kuma.io/workload': 'web' }), await connect('b', { 'kuma.io/workload': 'web' })];
  const keys = chs.map((c) => new X509Certificate(c.last().certPem).publicKey.export({ type: 'spki', format: 'der' }));
  const ca2 = await makeSigningCa();
  registry.set(readyEntry(workload('web'), ca2.ca, 'example.com'));
  await flush();
  chs.forEach((c, i) => {
    const cert = new X509Certificate(c.last().certPem);
    assert.ok(cert.verify(ca2.ca.cert.publicKey));
    assert.deepEqual(cert.publicKey.export({ type: 'spki', format: 'der' }), keys[i]);
  });
  sessions.stop();
});

test('deselection stops issuance: no renewal, one error, nothing more as time passes', async () => {
  const { connect, sessions, clock, flush } = await setup(10_000);
  const ch = await connect('web-1', { 'kuma.io/workload': 'web' });
  sessions.dataplaneChanged(dataplane('web-1', { 'kuma.io/workload': 'api' }));
  await flush();
  assert.equal(sessions.scheduler.scheduledAt('s-web-1'), undefined);
  assert.match(ch.errors().at(-1)!, /no ready MeshIdentity of mesh "default" selects this dataplane; the certificate from MeshIdentity 'id-web' will not be renewed/);
  clock.advance(60_000);
  await flush();
  assert.equal(ch.identities().length, 1);
  assert.equal(ch.errors().length, 1);
  // Selected again: issued again.
  sessions.dataplaneChanged(dataplane('web-1', { 'kuma.io/workload': 'web' }));
  await flush();
  assert.equal(ch.identities().length, 2);
  sessions.stop();
});

test('an identity whose selector stops matching deselects too', async () => {
  const { connect, registry, sessions, flush, ca1 } = await setup();
  const ch = await connect('web-1', { 'kuma.io/workload': 'web' });
  registry.set(readyEntry(workload('other'), ca1.ca, 'example.com'));
  registry.delete('kuma-system/id-web');
  await flush();
  assert.equal(sessions.held('s-web-1'), undefined);
  assert.equal(ch.errors().length, 1);
  sessions.stop();
});

test('a CA of another key type asks the proxy for a new request of that type', async () => {
  const { connect, registry, sessions, flush } = await setup();
  const ch = await connect('web-1', { 'kuma.io/workload': 'web' });
  const rsa = await makeSigningCa({ keyType: 'rsa-2048' });
  registry.set(readyEntry(workload('web'), rsa.ca, 'example.com'));
  await flush();
  const ask = ch.sent.find((m) => 'certificateRequest' in m) as { certificateRequest: { keyType: string } } | undefined;
  assert.equal(ask?.certificateRequest.keyType, 'rsa-2048');
  sessions.request(ch.id, await makeCsr('rsa-2048'));
  await flush();
  assert.equal(new X509Certificate(ch.last().certPem).publicKey.asymmetricKeyType, 'rsa');
  sessions.stop();
});

test('a closed session is forgotten: no timers, no messages', async () => {
  const { connect, registry, sessions, flush } = await setup();
  const ch = await connect('web-1', { 'kuma.io/workload': 'web' });
  sessions.close(ch.id);
  assert.equal(sessions.scheduler.size, 0);
  const before = ch.sent.length;
  registry.set(readyEntry(workload('web'), (await makeSigningCa()).ca, 'example.com'));
  await flush();
  assert.equal(ch.sent.length, before);
  sessions.stop();
});

test('a forged request is answered with an error and no certificate', async () => {
  const { sessions } = await setup();
  const ch = new Channel('s-x', dataplane('x', { 'kuma.io/workload': 'web' }));
  sessions.open(ch);
  const der = firstPem(await makeCsr(), 'CERTIFICATE REQUEST')!;
  der[der.length - 8] ^= 0x5a; // inside the signature
  sessions.request(ch.id, der);
  assert.equal(ch.identities().length, 0);
  assert.match(ch.errors()[0]!, /certificate request refused/);
  sessions.stop();
});

test('a request from a proxy no identity selects is answered with the reason', async () => {
  const { connect, sessions } = await setup();
  const ch = await connect('api-1', { 'kuma.io/workload': 'api' });
  assert.equal(ch.identities().length, 0);
  assert.deepEqual(ch.errors(), ['no ready MeshIdentity of mesh "default" selects this dataplane']);
  sessions.stop();
});
