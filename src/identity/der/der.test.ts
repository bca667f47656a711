import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { keyTypeOf } from './algorithms.js';
import { keyIdentifierOf, parseCertificate } from './certificate.js';
import { CsrError, verifyCsr } from './csr.js';
import { decodeOid, readTlv } from './der-reader.js';
import { oid, writeTime } from './der-writer.js';
import { LeafCertificateWriter } from './leaf-certificate.js';
import { firstPem, toPem } from './pem.js';
import { createCa } from '../ca-generate.js';
import { hasOpenssl, makeCsr, opensslVerify } from '../testing.js';

const SPIFFE = 'spiffe://example.com/workload/demo-workload';

async function writerFor(keyType: string) {
  const pem = await createCa({ commonName: 'example.com', trustDomain: 'example.com', keyType });
  const parsed = parseCertificate(new X509Certificate(pem.certPem).raw);
  const key = createPrivateKey(pem.keyPem);
  return { pem, writer: new LeafCertificateWriter({ privateKey: key, keyType: keyTypeOf(key), subject: Buffer.from(parsed.subject), keyId: keyIdentifierOf(parsed) }) };
}

for (const keyType of ['ecdsa-p256', 'ecdsa-p384', 'rsa-2048']) {
  test(`a ${keyType} CA signs leaves Node and openssl accept, with the spec's profile`, async () => {
    const { pem, writer } = await writerFor(keyType);
    const key = verifyCsr(await makeCsr(keyType === 'rsa-2048' ? 'rsa-2048' : keyType));
    const now = Math.floor(Date.now() / 1000) * 1000;
    const der = writer.certificate({ spki: key.spki, uri: SPIFFE, notBefore: now - 10_000, notAfter: now + 3_600_000 });
    const cert = new X509Certificate(der);
    const ca = new X509Certificate(pem.certPem);
    assert.ok(cert.checkIssued(ca));
    assert.ok(cert.verify(ca.publicKey));
    assert.equal(cert.subjectAltName, `URI:${SPIFFE}`);
    assert.equal(cert.subject, undefined);
    assert.equal(cert.ca, false);
    assert.deepEqual(cert.keyUsage?.sort(), ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    assert.equal(new Date(cert.validFrom).getTime(), now - 10_000);
    assert.equal(new Date(cert.validTo).getTime(), now + 3_600_000);
    assert.deepEqual(cert.publicKey.export({ type: 'spki', format: 'der' }), key.spki);
    const parsed = parseCertificate(cert.raw);
    assert.equal(parsed.serial.length, 16);
    assert.ok(parsed.serial[0]! > 0 && parsed.serial[0]! < 0x80);
    assert.equal(parsed.extensions.get('2.5.29.15')?.critical, true); // keyUsage
    assert.equal(parsed.extensions.get('2.5.29.17')?.critical, true); // SAN, subject empty
    assert.equal(parsed.extensions.get('2.5.29.19')?.critical, true); // basicConstraints
    assert.deepEqual(parsed.extensions.get('2.5.29.15')?.value, Buffer.from([0x03, 0x02, 0x03, 0xa8]));
    assert.ok(parsed.extensions.has('2.5.29.35'));
    if (hasOpenssl()) assert.match(opensslVerify(pem.certPem, toPem('CERTIFICATE', der)), /OK/);
  });
}

test('the authority key id repeats the CA subject key id', async () => {
  const { pem, writer } = await writerFor('ecdsa-p256');
  const key = verifyCsr(await makeCsr());
  const leaf = parseCertificate(writer.certificate({ spki: key.spki, uri: SPIFFE, notBefore: Date.now(), notAfter: Date.now() + 1000 }));
  const ski = keyIdentifierOf(parseCertificate(new X509Certificate(pem.certPem).raw));
  assert.ok(leaf.extensions.get('2.5.29.35')!.value.includes(ski));
});

test('CSRs: EC and RSA requests verify; names in them are not read', async () => {
  for (const t of ['ecdsa-p256', 'rsa-2048']) {
    const k = verifyCsr(await makeCsr(t, { sanUri: 'spiffe://evil.example/admin', cn: 'admin' }));
    assert.equal(k.keyType.kind, t.startsWith('rsa') ? 'rsa' : 'ec');
  }
});

test('CSRs: a tampered request, a truncated one and a non-CSR are refused', async () => {
  const der = firstPem(await makeCsr(), 'CERTIFICATE REQUEST')!;
  const tampered = Buffer.from(der);
  tampered[40] ^= 0x01; // inside the public key
  assert.throws(() => verifyCsr(tampered), CsrError);
  assert.throws(() => verifyCsr(der.subarray(0, der.length - 5)), /malformed certificate request/);
  assert.throws(() => verifyCsr('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), /no PEM block/);
  const sig = Buffer.from(der);
  sig[sig.length - 3] ^= 0xff; // inside the signature
  assert.throws(() => verifyCsr(sig), /does not verify|malformed/);
});

test('times: UTCTime through 2049, GeneralizedTime from 2050', () => {
  const buf = Buffer.alloc(32);
  let end = writeTime(buf, 0, Date.UTC(2049, 11, 31, 23, 59, 59));
  assert.equal(buf.subarray(0, end).toString('latin1'), '\x17\x0d491231235959Z');
  end = writeTime(buf, 0, Date.UTC(2050, 0, 1, 0, 0, 0));
  assert.equal(buf.subarray(0, end).toString('latin1'), '\x18\x0f20500101000000Z');
});

test('OIDs round-trip', () => {
  for (const o of ['1.2.840.10045.4.3.2', '2.5.29.17', '1.3.6.1.5.5.7.3.1', '2.999.3']) {
    const der = oid(o);
    const t = readTlv(der, 0);
    assert.equal(decodeOid(der.subarray(t.value, t.end)), o);
  }
});
