import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { createCertificateAuthority } from './ca.js';
import { ClusterSigner } from './cluster-signer.js';
import { ClientCertAuthenticator } from './client-cert-authenticator.js';
import { createCsr, parseCsr } from './csr.js';

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

test('the profile, never the request, decides what a certificate is for; the subject is the request\'s', async () => {
  const ca = await createCertificateAuthority();
  const signer = new ClusterSigner(ca.certPem, ca.keyPem, 7 * 86_400);
  const { csrPem } = await createCsr({ commonName: 'system:node:n1', organizations: ['system:nodes'], hosts: ['10.0.0.7', 'n1.example'] });
  const parsed = await parseCsr(csrPem);
  assert.deepEqual([parsed.commonName, parsed.organizations, parsed.ipAddresses, parsed.dnsNames], ['system:node:n1', ['system:nodes'], ['10.0.0.7'], ['n1.example']]);

  const client = new X509Certificate(await signer.sign(csrPem, { profile: 'client', validitySeconds: 30 * 86_400 }));
  assert.deepEqual(client.keyUsage, [CLIENT_AUTH]);
  assert.equal(client.subjectAltName, undefined, 'client certificates carry no names');
  assert.ok(client.verify(new X509Certificate(ca.certPem).publicKey));
  assert.ok(Date.parse(client.validTo) - Date.now() <= 7 * 86_400_000, 'capped at the signer maximum');

  const serving = new X509Certificate(await signer.sign(parsed, { profile: 'serving', validitySeconds: 3600 }));
  assert.deepEqual(serving.keyUsage, [SERVER_AUTH]);
  assert.equal(serving.checkIP('10.0.0.7'), '10.0.0.7');
  assert.equal(serving.checkHost('n1.example'), 'n1.example');
  assert.match(serving.subject, /CN=system:node:n1/);
});

test('a CSR must be signed by the key it carries', async () => {
  const { csrPem } = await createCsr({ commonName: 'x' });
  const der = Buffer.from(csrPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  der[der.length - 5] ^= 0xff; // inside the signature
  const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
  await assert.rejects(parseCsr(tampered), /not signed by the key it carries|PEM block type/);
  await assert.rejects(parseCsr('garbage'), /PEM block type must be CERTIFICATE REQUEST/);
});

test('client certificate authentication: the cluster CA, client use, within validity', async () => {
  const ca = await createCertificateAuthority();
  const signer = new ClusterSigner(ca.certPem, ca.keyPem);
  let now = Date.now();
  const authn = new ClientCertAuthenticator(ca.certPem, () => now);
  const { certPem } = await signer.issueClientCert('system:node:n1', ['system:nodes'], 3600);
  assert.deepEqual(authn.authenticateCertificate(new X509Certificate(certPem)), { username: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'], extra: {} });

  const { csrPem } = await createCsr({ commonName: 'system:node:n1', organizations: ['system:nodes'], hosts: ['127.0.0.1'] });
  const servingPem = await signer.sign(csrPem, { profile: 'serving', validitySeconds: 3600 });
  assert.equal(authn.authenticateCertificate(new X509Certificate(servingPem)), null, 'a serving certificate is no client credential');
  const other = await createCertificateAuthority({ commonName: 'other' });
  const foreign = await new ClusterSigner(other.certPem, other.keyPem).issueClientCert('admin', ['system:masters'], 3600);
  assert.equal(authn.authenticateCertificate(new X509Certificate(foreign.certPem)), null);
  assert.equal(authn.authenticateCertificate(new X509Certificate(ca.certPem)), null, 'the CA itself is no client');
  now += 2 * 3600_000;
  assert.equal(authn.authenticateCertificate(new X509Certificate(certPem)), null, 'expired');
});
