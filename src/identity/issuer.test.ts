import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { firstPem } from './der/pem.js';
import { IdentityRegistry } from './identity-registry.js';
import { Issuer, NOT_BEFORE_SKEW_MS, type IssuedCertificate } from './issuer.js';
import { dataplane, hasOpenssl, issuedByBundle, makeCsr, makeSigningCa, meshIdentity, opensslVerify, readyEntry, seedMeshIdentity } from './testing.js';

const demo = () => dataplane('demo-1', { 'kuma.io/workload': 'demo-workload' });

async function seedIssuer(expiryMs?: number) {
  const { ca, pem } = await makeSigningCa({ trustDomain: 'example.com' });
  const registry = new IdentityRegistry();
  registry.set(readyEntry(seedMeshIdentity(), ca, 'example.com', expiryMs));
  return { registry, ca, pem, issuer: new Issuer(registry) };
}

const ok = (r: unknown): IssuedCertificate => {
  assert.ok(r && (r as { ok: boolean }).ok, JSON.stringify(r));
  return r as IssuedCertificate;
};

test('seed: a demo-workload proxy gets spiffe://example.com/workload/demo-workload, verified against the bundle', async () => {
  const { issuer } = await seedIssuer();
  const r = ok(issuer.issue(demo(), await makeCsr()));
  assert.equal(r.spiffeId, 'spiffe://example.com/workload/demo-workload');
  const cert = new X509Certificate(r.certPem);
  assert.equal(cert.subjectAltName, 'URI:spiffe://example.com/workload/demo-workload');
  assert.ok(issuedByBundle(r.certPem, r.bundlePem));
  if (hasOpenssl()) assert.match(opensslVerify(r.bundlePem, r.certPem), /OK/);
});

test('the names a CSR asks for are ignored: exactly one URI SAN, the computed one', async () => {
  const { issuer } = await seedIssuer();
  const r = ok(issuer.issue(demo(), await makeCsr('ecdsa-p256', { sanUri: 'spiffe://example.com/admin', cn: 'admin' })));
  const cert = new X509Certificate(r.certPem);
  assert.equal(cert.subjectAltName, 'URI:spiffe://example.com/workload/demo-workload');
  assert.equal(cert.subject, undefined);
});

test('validity: NotBefore now-10s, NotAfter now+expiry, never past the CA', async () => {
  const { issuer } = await seedIssuer(3_600_000);
  const r = ok(issuer.issue(demo(), await makeCsr()));
  const issued = r.issuedAt.getTime();
  assert.equal(r.notBefore.getTime(), issued - NOT_BEFORE_SKEW_MS);
  assert.equal(r.notAfter.getTime(), issued + 3_600_000);
  const cert = new X509Certificate(r.certPem);
  assert.equal(Date.parse(cert.validFrom), issued - NOT_BEFORE_SKEW_MS);
  assert.equal(Date.parse(cert.validTo), issued + 3_600_000);

  const shortCa = await makeSigningCa();
  const registry = new IdentityRegistry();
  const entry = readyEntry(seedMeshIdentity(), shortCa.ca, 'example.com', 10 * 365 * 86_400_000 * 2);
  registry.set(entry);
  const long = ok(new Issuer(registry).issue(demo(), await makeCsr()));
  assert.ok(long.notAfter.getTime() <= shortCa.ca.notAfter);
});

test('refusals: not selected, missing workload label, forged request', async () => {
  const { issuer } = await seedIssuer();
  const csr = await makeCsr();
  const other = issuer.issue(dataplane('x', { 'kuma.io/workload': 'other' }), csr);
  assert.equal(other.ok, false);
  assert.equal(!other.ok && other.reason, 'NotSelected');

  const registry = new IdentityRegistry();
  const { ca } = await makeSigningCa();
  registry.set(readyEntry(meshIdentity('all', { selector: { dataplane: {} } }), ca, 'example.com'));
  const missing = new Issuer(registry).issue(dataplane('x', {}), csr);
  assert.equal(!missing.ok && missing.reason, 'MissingLabel');
  assert.equal(
    !missing.ok && missing.message,
    "missing required label 'kuma.io/workload' - dataplane is selected by MeshIdentity 'all' with path template '/workload/{{ .Workload }}'",
  );

  const der = Buffer.from(firstPem(csr, 'CERTIFICATE REQUEST')!);
  der[der.length - 10] ^= 0x55;
  const forged = issuer.issue(demo(), der);
  assert.equal(!forged.ok && forged.reason, 'InvalidRequest');
});

test('the leaf key type is the CA key type: an RSA CA refuses an EC key and asks for rsa-2048', async () => {
  const { ca, pem } = await makeSigningCa({ keyType: 'rsa-2048' });
  const registry = new IdentityRegistry();
  registry.set(readyEntry(seedMeshIdentity(), ca, 'example.com'));
  const issuer = new Issuer(registry);
  const ec = issuer.issue(demo(), await makeCsr('ecdsa-p256'));
  assert.equal(!ec.ok && ec.reason, 'KeyTypeMismatch');
  assert.equal(!ec.ok && ec.keyType, 'rsa-2048');
  const r = ok(issuer.issue(demo(), await makeCsr('rsa-2048')));
  const cert = new X509Certificate(r.certPem);
  assert.equal(cert.publicKey.asymmetricKeyType, 'rsa');
  assert.ok(cert.verify(new X509Certificate(pem.certPem).publicKey));
  if (hasOpenssl()) assert.match(opensslVerify(r.bundlePem, r.certPem), /OK/);
});

test('only ready identities issue; a not-ready one with more labels does not take over', async () => {
  const { registry, issuer } = await seedIssuer();
  const { ca } = await makeSigningCa();
  const better = readyEntry(
    meshIdentity('a-better', { selector: { dataplane: { matchLabels: { 'kuma.io/workload': 'demo-workload', app: 'x' } } } }),
    ca,
    'example.com',
  );
  registry.set({ ...better, ready: false, ca: undefined });
  const dp = dataplane('d', { 'kuma.io/workload': 'demo-workload', app: 'x' });
  assert.equal(ok(issuer.issue(dp, await makeCsr())).identityName, 'workload-identity');
  registry.set(better);
  assert.equal(ok(issuer.issue(dp, await makeCsr())).identityName, 'a-better');
});
