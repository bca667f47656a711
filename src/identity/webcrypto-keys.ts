// WebCrypto key pairs of the key types identities use, for the two places
// that build X.509 with @peculiar/x509 (generating a CA, and a proxy's CSR),
// neither of them on the per-certificate path of the control plane.

import { createPrivateKey, type webcrypto } from 'node:crypto';
import { parseKeyTypeName, type KeyType } from './der/algorithms.js';

type Algorithm = webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams;

function algorithmOf(t: KeyType): { gen: Algorithm; sign: webcrypto.EcdsaParams | webcrypto.Algorithm } {
  if (t.kind === 'ec') {
    const hash = t.curve === 'P-384' ? 'SHA-384' : 'SHA-256';
    return { gen: { name: 'ECDSA', namedCurve: t.curve }, sign: { name: 'ECDSA', hash } as webcrypto.EcdsaParams };
  }
  return {
    gen: { name: 'RSASSA-PKCS1-v1_5', modulusLength: t.bits, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    sign: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as webcrypto.Algorithm,
  };
}

export const asKeyType = (t: KeyType | string): KeyType => {
  if (typeof t !== 'string') return t;
  const parsed = parseKeyTypeName(t);
  if (!parsed) throw new Error(`unknown key type ${t}`);
  return parsed;
};

/** The WebCrypto algorithm to sign with a key of this type (ECDSA with the curve's digest, RSA PKCS#1 v1.5 SHA-256). */
export const signingAlgorithmOf = (t: KeyType) => algorithmOf(t).sign;

export async function generateKeyPair(t: KeyType): Promise<webcrypto.CryptoKeyPair> {
  return (await crypto.subtle.generateKey(algorithmOf(t).gen, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
}

/** Imports a PEM private key for signing with WebCrypto. */
export async function importPrivateKey(pem: string, t: KeyType): Promise<webcrypto.CryptoKey> {
  const der = createPrivateKey(pem).export({ format: 'der', type: 'pkcs8' });
  return crypto.subtle.importKey('pkcs8', der, algorithmOf(t).gen, false, ['sign']);
}

/** PKCS#8 PEM, the form openssl, Node TLS and Envoy all read. */
export async function exportPrivateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await crypto.subtle.exportKey('pkcs8', key));
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }) as string;
}
