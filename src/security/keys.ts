// EC P-256 key handling shared by the CA, the serving certificate and the
// token signer. Keys live on disk as PKCS#8 PEM, the form node:https, jose,
// openssl and kubectl tooling all read.
import { createPrivateKey, type webcrypto } from 'node:crypto';

/** ECDSA P-256 with SHA-256: small keys, fast handshakes, accepted by Go (kubectl) and Node TLS. */
export const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** A certificate and its private key, both PEM. */
export interface CertKeyPem {
  certPem: string;
  keyPem: string;
}

export async function generateEcKeyPair(): Promise<webcrypto.CryptoKeyPair> {
  return (await crypto.subtle.generateKey(EC_P256, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
}

export async function privateKeyToPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await crypto.subtle.exportKey('pkcs8', key));
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }) as string;
}

/** Imports a PEM private key (PKCS#8 or SEC1) as a non-extractable WebCrypto signing key. */
export async function importSigningKey(pem: string): Promise<webcrypto.CryptoKey> {
  const der = createPrivateKey(pem).export({ format: 'der', type: 'pkcs8' });
  return crypto.subtle.importKey('pkcs8', der, EC_P256, false, ['sign']);
}

/** A positive random 128-bit serial number in hex, as RFC 5280 asks (unique, at most 20 octets). */
export function randomSerialNumber(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return Buffer.from(bytes).toString('hex');
}
