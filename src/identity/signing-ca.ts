// A loaded CA ready to sign leaves: its certificate and key parsed once,
// its leaf writer built once, and the facts issuance compares (fingerprint,
// key types, expiry).

import { createHash, X509Certificate, type KeyObject } from 'node:crypto';
import { keyTypeName, keyTypeOf, leafKeyTypeFor, type KeyType } from './der/algorithms.js';
import { keyIdentifierOf, parseCertificate } from './der/certificate.js';
import { LeafCertificateWriter } from './der/leaf-certificate.js';
import { pemBlocks, toPem } from './der/pem.js';

export interface SigningCa {
  /** The signing certificate and any chain given with it, PEM (what MeshTrust and bundles carry). */
  certPem: string;
  cert: X509Certificate;
  keyType: KeyType;
  /** What proxies must send under this CA, e.g. `ecdsa-p256`. */
  leafKeyType: string;
  /** SHA-256 of the signing certificate, hex: a CA change is a fingerprint change. */
  fingerprint: string;
  notAfter: number;
  writer: LeafCertificateWriter;
}

/** Builds a SigningCa from a certificate PEM (first block signs) and its private key; throws on mismatch. */
export function signingCaOf(certPem: string, privateKey: KeyObject): SigningCa {
  const blocks = pemBlocks(certPem, 'CERTIFICATE');
  if (blocks.length === 0) throw new Error('no PEM block "CERTIFICATE" in the CA certificate');
  const der = blocks[0]!.der;
  const cert = new X509Certificate(der);
  if (!cert.checkPrivateKey(privateKey)) throw new Error('the CA private key does not match the CA certificate');
  const keyType = keyTypeOf(privateKey);
  const parsed = parseCertificate(der);
  return {
    certPem: blocks.map((b) => toPem('CERTIFICATE', b.der)).join(''),
    cert,
    keyType,
    leafKeyType: keyTypeName(leafKeyTypeFor(keyType)),
    fingerprint: createHash('sha256').update(der).digest('hex'),
    notAfter: Date.parse(cert.validTo),
    writer: new LeafCertificateWriter({ privateKey, keyType, subject: Buffer.from(parsed.subject), keyId: keyIdentifierOf(parsed) }),
  };
}
