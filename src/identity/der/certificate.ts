// Reading a CA certificate for what signing under it needs: its subject as
// exact bytes (a leaf's issuer must match it byte for byte, so it is copied,
// never re-encoded) and its key identifier (the leaf's authority key id).

import { createHash } from 'node:crypto';
import { bitStringBytes, children, content, decodeOid, DerError, expect, readTlv, whole } from './der-reader.js';
import { contextTag, TAG } from './der-writer.js';

export interface CertificateExtension {
  critical: boolean;
  /** The extnValue content (the DER inside the OCTET STRING). */
  value: Buffer;
}

export interface ParsedCertificate {
  tbs: Buffer;
  serial: Buffer;
  issuer: Buffer;
  subject: Buffer;
  spki: Buffer;
  /** The key bits inside the SubjectPublicKeyInfo. */
  subjectPublicKey: Buffer;
  /** By dotted OID. */
  extensions: Map<string, CertificateExtension>;
  signatureAlgorithm: string;
  signature: Buffer;
}

export const OID_SUBJECT_KEY_ID = '2.5.29.14';

export function parseCertificate(der: Buffer): ParsedCertificate {
  const outer = expect(der, 0, TAG.SEQUENCE, 'Certificate');
  const tbs = expect(der, outer.value, TAG.SEQUENCE, 'TBSCertificate', outer.end);
  let off = tbs.value;
  const first = readTlv(der, off, tbs.end);
  if (first.tag === contextTag(0, true)) off = first.end; // explicit version
  const serial = expect(der, off, TAG.INTEGER, 'serialNumber', tbs.end);
  const sigAlg = expect(der, serial.end, TAG.SEQUENCE, 'signature', tbs.end);
  const issuer = expect(der, sigAlg.end, TAG.SEQUENCE, 'issuer', tbs.end);
  const validity = expect(der, issuer.end, TAG.SEQUENCE, 'validity', tbs.end);
  const subject = expect(der, validity.end, TAG.SEQUENCE, 'subject', tbs.end);
  const spki = expect(der, subject.end, TAG.SEQUENCE, 'subjectPublicKeyInfo', tbs.end);
  const spkiParts = children(der, spki);
  if (spkiParts.length !== 2) throw new DerError('subjectPublicKeyInfo: expected algorithm and key');
  const extensions = new Map<string, CertificateExtension>();
  for (off = spki.end; off < tbs.end; ) {
    const t = readTlv(der, off, tbs.end);
    if (t.tag === contextTag(3, true)) readExtensions(der, expect(der, t.value, TAG.SEQUENCE, 'extensions', t.end), extensions);
    off = t.end;
  }
  const outerAlg = expect(der, tbs.end, TAG.SEQUENCE, 'signatureAlgorithm', outer.end);
  const algOid = expect(der, outerAlg.value, TAG.OID, 'signatureAlgorithm.algorithm', outerAlg.end);
  const sig = readTlv(der, outerAlg.end, outer.end);
  return {
    tbs: whole(der, tbs),
    serial: content(der, serial),
    issuer: whole(der, issuer),
    subject: whole(der, subject),
    spki: whole(der, spki),
    subjectPublicKey: bitStringBytes(der, spkiParts[1]!, 'subjectPublicKey'),
    extensions,
    signatureAlgorithm: decodeOid(content(der, algOid)),
    signature: bitStringBytes(der, sig, 'signatureValue'),
  };
}

function readExtensions(der: Buffer, list: ReturnType<typeof readTlv>, out: Map<string, CertificateExtension>): void {
  for (const ext of children(der, list)) {
    const parts = children(der, ext);
    if (parts.length < 2 || parts[0]!.tag !== TAG.OID) throw new DerError('malformed extension');
    const critical = parts.length === 3 && parts[1]!.tag === TAG.BOOLEAN && der[parts[1]!.value] !== 0;
    const value = parts[parts.length - 1]!;
    if (value.tag !== TAG.OCTET_STRING) throw new DerError('malformed extension value');
    out.set(decodeOid(content(der, parts[0]!)), { critical, value: content(der, value) });
  }
}

/**
 * The CA's key identifier: its SubjectKeyIdentifier when it has one (a leaf's
 * AuthorityKeyIdentifier must repeat it), else the SHA-1 of its key bits
 * (RFC 5280 4.2.1.2, method 1).
 */
export function keyIdentifierOf(cert: ParsedCertificate): Buffer {
  const ski = cert.extensions.get(OID_SUBJECT_KEY_ID);
  if (ski) {
    const t = expect(ski.value, 0, TAG.OCTET_STRING, 'subjectKeyIdentifier');
    return Buffer.from(content(ski.value, t));
  }
  return createHash('sha1').update(cert.subjectPublicKey).digest();
}
