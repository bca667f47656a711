// PKCS#10 certificate signing requests as the control plane reads them: only
// the public key and the proof that the sender holds its private key. Names,
// extensions and attributes the request carries are never read, because the
// control plane alone decides what identity a proxy gets.

import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { keyTypeOf, signatureAlgorithmByOid, type KeyType } from './algorithms.js';
import { bitStringBytes, content, decodeOid, DerError, expect, readTlv, whole } from './der-reader.js';
import { TAG } from './der-writer.js';
import { firstPem } from './pem.js';

/** A request whose signature checked out: the proxy holds the key of `spki`. */
export interface VerifiedKey {
  /** SubjectPublicKeyInfo, DER, copied verbatim into certificates. */
  spki: Buffer;
  publicKey: KeyObject;
  keyType: KeyType;
}

export class CsrError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsrError';
  }
}

interface ParsedCsr {
  info: Buffer;
  spki: Buffer;
  algorithm: string;
  signature: Buffer;
}

/** Splits a DER request into the signed part, its key, and its signature. */
export function parseCsr(der: Buffer): ParsedCsr {
  const outer = expect(der, 0, TAG.SEQUENCE, 'CertificationRequest');
  if (outer.end !== der.length) throw new DerError('trailing bytes after CertificationRequest');
  const info = expect(der, outer.value, TAG.SEQUENCE, 'CertificationRequestInfo', outer.end);
  const version = expect(der, info.value, TAG.INTEGER, 'version', info.end);
  if (version.end - version.value !== 1 || der[version.value] !== 0) throw new DerError('unsupported CSR version');
  const subject = expect(der, version.end, TAG.SEQUENCE, 'subject', info.end);
  const spki = expect(der, subject.end, TAG.SEQUENCE, 'subjectPKInfo', info.end);
  const algId = expect(der, info.end, TAG.SEQUENCE, 'signatureAlgorithm', outer.end);
  const algOid = expect(der, algId.value, TAG.OID, 'signatureAlgorithm.algorithm', algId.end);
  const sig = readTlv(der, algId.end, outer.end);
  if (sig.end !== outer.end) throw new DerError('trailing fields in CertificationRequest');
  return { info: whole(der, info), spki: whole(der, spki), algorithm: decodeOid(content(der, algOid)), signature: bitStringBytes(der, sig, 'signature') };
}

const EC_JWK_CURVES: Record<string, { crv: string; size: number }> = {
  '1.2.840.10045.3.1.7': { crv: 'P-256', size: 32 },
  '1.3.132.0.34': { crv: 'P-384', size: 48 },
};

/**
 * The public key of a SubjectPublicKeyInfo. OpenSSL's generic SPKI decoder
 * costs ~95 µs a key, more than the signature check; RSA keys go in as
 * PKCS#1 (~2 µs) and uncompressed EC points as JWK (~50 µs, the curve check
 * OpenSSL always does). Anything else takes the generic path.
 */
export function importSpki(spki: Buffer): KeyObject {
  try {
    const outer = expect(spki, 0, TAG.SEQUENCE, 'SubjectPublicKeyInfo');
    const alg = expect(spki, outer.value, TAG.SEQUENCE, 'algorithm', outer.end);
    const algOid = expect(spki, alg.value, TAG.OID, 'algorithm.algorithm', alg.end);
    const bits = bitStringBytes(spki, readTlv(spki, alg.end, outer.end), 'subjectPublicKey');
    const kind = decodeOid(content(spki, algOid));
    if (kind === '1.2.840.113549.1.1.1') return createPublicKey({ key: bits, format: 'der', type: 'pkcs1' });
    if (kind === '1.2.840.10045.2.1') {
      const curve = EC_JWK_CURVES[decodeOid(content(spki, expect(spki, algOid.end, TAG.OID, 'namedCurve', alg.end)))];
      if (curve && bits.length === 1 + 2 * curve.size && bits[0] === 4) {
        const x = bits.subarray(1, 1 + curve.size).toString('base64url');
        const y = bits.subarray(1 + curve.size).toString('base64url');
        return createPublicKey({ key: { kty: 'EC', crv: curve.crv, x, y }, format: 'jwk' });
      }
    }
  } catch (e) {
    if (!(e instanceof DerError)) throw e;
  }
  return createPublicKey({ key: spki, format: 'der', type: 'spki' });
}

/** Parses a PEM (or DER) request and checks its self-signature; throws CsrError saying what is wrong. */
export function verifyCsr(csr: string | Buffer): VerifiedKey {
  const der = typeof csr === 'string' ? firstPem(csr, 'CERTIFICATE REQUEST') ?? firstPem(csr, 'NEW CERTIFICATE REQUEST') : csr;
  if (!der) throw new CsrError('no PEM block "CERTIFICATE REQUEST" found');
  let parsed: ParsedCsr;
  try {
    parsed = parseCsr(der);
  } catch (e) {
    throw new CsrError(`malformed certificate request: ${(e as Error).message}`);
  }
  const alg = signatureAlgorithmByOid(parsed.algorithm);
  if (!alg) throw new CsrError(`unsupported signature algorithm ${parsed.algorithm}`);
  let publicKey: KeyObject;
  let keyType: KeyType;
  try {
    publicKey = importSpki(parsed.spki);
    keyType = keyTypeOf(publicKey);
  } catch (e) {
    throw new CsrError(`unusable public key: ${(e as Error).message}`);
  }
  if (keyType.kind !== alg.kind) throw new CsrError(`signature algorithm ${parsed.algorithm} does not match the ${keyType.kind} key`);
  if (!verify(alg.hash, parsed.info, publicKey, parsed.signature)) throw new CsrError('certificate request signature does not verify');
  // A copy: the caller may keep the key for renewals long after the request's buffer is gone.
  return { spki: Buffer.from(parsed.spki), publicKey, keyType };
}
