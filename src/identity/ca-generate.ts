// Creating certificate authorities: the root a Bundled MeshIdentity
// autogenerates (spec: ECDSA P-256, CN = trust domain, URI SAN
// spiffe://<trust domain>, CA:true, keyCertSign|cRLSign, 10 years), and,
// for tests and benches, intermediates signed by another CA. Rare and off
// the hot path, so it uses @peculiar/x509.

import { createPrivateKey, X509Certificate } from 'node:crypto';
import { x509 } from '../security/x509.js';
import { randomSerialNumber } from '../security/keys.js';
import { keyTypeOf, type KeyType } from './der/algorithms.js';
import { asKeyType, exportPrivateKeyPem, generateKeyPair, importPrivateKey, signingAlgorithmOf } from './webcrypto-keys.js';

export const CA_VALIDITY_MS = 10 * 365 * 86_400_000;
// The CA must already be valid on proxies whose clocks run a little behind.
const CA_BACKDATE_MS = 60_000;

export interface CaPem {
  certPem: string;
  keyPem: string;
}

export interface CreateCaOptions {
  /** Subject CN; also gives the URI SAN spiffe://<trustDomain> when trustDomain is set. */
  commonName: string;
  trustDomain?: string;
  /** Default ecdsa-p256. */
  keyType?: KeyType | string;
  /** Signs the new CA; without it the CA is self-signed (a root). */
  issuer?: CaPem;
  now?: Date;
  validityMs?: number;
}

export async function createCa(opts: CreateCaOptions): Promise<CaPem> {
  const now = (opts.now ?? new Date()).getTime();
  const keyType = asKeyType(opts.keyType ?? 'ecdsa-p256');
  const keys = await generateKeyPair(keyType);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(true, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (opts.trustDomain) extensions.push(new x509.SubjectAlternativeNameExtension([{ type: 'url', value: `spiffe://${opts.trustDomain}` }]));
  const common = {
    serialNumber: randomSerialNumber(),
    notBefore: new Date(now - CA_BACKDATE_MS),
    notAfter: new Date(now + (opts.validityMs ?? CA_VALIDITY_MS)),
    extensions,
  };
  const name = `CN=${opts.commonName}`;
  let cert: x509.X509Certificate;
  if (!opts.issuer) {
    cert = await x509.X509CertificateGenerator.createSelfSigned({ ...common, name, keys, signingAlgorithm: signingAlgorithmOf(keyType) });
  } else {
    const issuerCert = new x509.X509Certificate(opts.issuer.certPem);
    const issuerType = keyTypeOf(createPrivateKey(opts.issuer.keyPem));
    const issuerKey = await importPrivateKey(opts.issuer.keyPem, issuerType);
    const aki = await x509.AuthorityKeyIdentifierExtension.create(await issuerCert.publicKey.export());
    cert = await x509.X509CertificateGenerator.create({
      ...common,
      extensions: [...extensions, aki],
      subject: name,
      issuer: issuerCert.subject,
      publicKey: keys.publicKey,
      signingKey: issuerKey,
      signingAlgorithm: signingAlgorithmOf(issuerType),
    });
  }
  return { certPem: cert.toString('pem') + '\n', keyPem: await exportPrivateKeyPem(keys.privateKey) };
}

/** Whether the certificate names itself as issuer and its own key verifies it. */
export function isSelfSigned(cert: X509Certificate): boolean {
  return cert.checkIssued(cert) && cert.verify(cert.publicKey);
}
