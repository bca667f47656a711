// Key types and signature algorithms of the certificates the control plane
// issues. A leaf carries the key type of its CA (spec), so the CA's key
// decides both the algorithm the CA signs with and the key a proxy must send.

import type { KeyObject } from 'node:crypto';
import { DER_NULL, oid, seq } from './der-writer.js';

export type KeyType = { kind: 'ec'; curve: 'P-256' | 'P-384' } | { kind: 'rsa'; bits: number };

/** Smallest RSA modulus accepted from a proxy. */
export const MIN_RSA_BITS = 2048;

const CURVES: Record<string, 'P-256' | 'P-384'> = { prime256v1: 'P-256', secp384r1: 'P-384' };

/** The key type of a node:crypto key; throws for keys issuance does not support (Ed25519, RSA-PSS, other curves). */
export function keyTypeOf(key: KeyObject): KeyType {
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') {
    const curve = CURVES[d.namedCurve ?? ''];
    if (curve) return { kind: 'ec', curve };
    throw new Error(`unsupported EC curve ${d.namedCurve ?? '(unknown)'}: use P-256 or P-384`);
  }
  if (key.asymmetricKeyType === 'rsa' && d.modulusLength) return { kind: 'rsa', bits: d.modulusLength };
  throw new Error(`unsupported key type ${key.asymmetricKeyType ?? '(unknown)'}: use ECDSA (P-256, P-384) or RSA`);
}

/** `ecdsa-p256`, `ecdsa-p384`, `rsa-2048`...: the name announced to proxies and shown in messages. */
export function keyTypeName(t: KeyType): string {
  return t.kind === 'ec' ? `ecdsa-${t.curve.toLowerCase().replace('-', '')}` : `rsa-${t.bits}`;
}

/** The inverse of keyTypeName; undefined for a name it never produces. */
export function parseKeyTypeName(name: string): KeyType | undefined {
  if (name === 'ecdsa-p256') return { kind: 'ec', curve: 'P-256' };
  if (name === 'ecdsa-p384') return { kind: 'ec', curve: 'P-384' };
  const m = /^rsa-(\d{4})$/.exec(name);
  return m && Number(m[1]) >= MIN_RSA_BITS ? { kind: 'rsa', bits: Number(m[1]) } : undefined;
}

/** The key type proxies generate under a CA: the CA's curve, or RSA-2048 under any RSA CA. */
export function leafKeyTypeFor(ca: KeyType): KeyType {
  return ca.kind === 'ec' ? ca : { kind: 'rsa', bits: MIN_RSA_BITS };
}

/** Whether a proxy's key may be certified under a CA of type `ca`. */
export function leafKeyFits(leaf: KeyType, ca: KeyType): boolean {
  if (leaf.kind === 'ec') return ca.kind === 'ec' && leaf.curve === ca.curve;
  return ca.kind === 'rsa' && leaf.bits >= MIN_RSA_BITS;
}

export interface SignatureAlgorithm {
  /** Dotted OID. */
  oid: string;
  kind: 'ec' | 'rsa';
  /** Digest for node:crypto sign/verify. */
  hash: 'sha256' | 'sha384' | 'sha512';
  /** The AlgorithmIdentifier, DER (ECDSA: no parameters; RSA: NULL parameters). */
  identifier: Buffer;
}

const alg = (dotted: string, kind: 'ec' | 'rsa', hash: SignatureAlgorithm['hash']): SignatureAlgorithm => ({
  oid: dotted,
  kind,
  hash,
  identifier: kind === 'ec' ? seq(oid(dotted)) : seq(oid(dotted), DER_NULL),
});

const ALGORITHMS: SignatureAlgorithm[] = [
  alg('1.2.840.10045.4.3.2', 'ec', 'sha256'),
  alg('1.2.840.10045.4.3.3', 'ec', 'sha384'),
  alg('1.2.840.10045.4.3.4', 'ec', 'sha512'),
  alg('1.2.840.113549.1.1.11', 'rsa', 'sha256'),
  alg('1.2.840.113549.1.1.12', 'rsa', 'sha384'),
  alg('1.2.840.113549.1.1.13', 'rsa', 'sha512'),
];
const BY_OID = new Map(ALGORITHMS.map((a) => [a.oid, a]));

/** A signature algorithm this module can verify, by OID; undefined for others (RSA-PSS, SHA-1, Ed25519). */
export const signatureAlgorithmByOid = (dotted: string) => BY_OID.get(dotted);

/** What a CA with this key signs with: ECDSA with the curve's matching digest, RSA with SHA-256. */
export function signatureAlgorithmFor(ca: KeyType): SignatureAlgorithm {
  const dotted = ca.kind === 'rsa' ? '1.2.840.113549.1.1.11' : ca.curve === 'P-384' ? '1.2.840.10045.4.3.3' : '1.2.840.10045.4.3.2';
  return BY_OID.get(dotted)!;
}
