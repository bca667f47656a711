// The cluster's self-signed certificate authority. It signs the serving
// certificate, and kubeconfigs pin it through certificate-authority-data, so
// it must outlive restarts: pki.ts keeps it on disk and only replaces it when
// it is unusable.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { x509 } from './x509.js';
import { EC_P256, generateEcKeyPair, privateKeyToPem, randomSerialNumber, type CertKeyPem } from './keys.js';

export const CA_COMMON_NAME = 'workplane-ca';
const CA_VALIDITY_DAYS = 3650;
const DAY_MS = 86_400_000;
// Clocks of clients and server drift; a certificate valid "from now" would be
// rejected by a client a few seconds behind.
export const BACKDATE_MS = 5 * 60_000;

export interface CreateCaOptions {
  commonName?: string;
  now?: Date;
  validityDays?: number;
}

export async function createCertificateAuthority(opts: CreateCaOptions = {}): Promise<CertKeyPem> {
  const now = opts.now ?? new Date();
  const keys = await generateEcKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name: `CN=${opts.commonName ?? CA_COMMON_NAME}`,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + (opts.validityDays ?? CA_VALIDITY_DAYS) * DAY_MS),
    keys,
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await privateKeyToPem(keys.privateKey) };
}

/**
 * Whether a stored CA can keep signing: it parses, is a CA, its key matches,
 * and it stays valid for at least `minRemainingMs`.
 */
export function isUsableCa(ca: CertKeyPem, now: Date, minRemainingMs: number): boolean {
  try {
    const cert = new X509Certificate(ca.certPem);
    if (!cert.ca || !cert.checkPrivateKey(createPrivateKey(ca.keyPem))) return false;
    return Date.parse(cert.validTo) - now.getTime() >= minRemainingMs;
  } catch {
    return false;
  }
}
