// Writes and signs leaf certificates under one CA. Everything that is the
// same for every leaf of that CA (issuer bytes, signature algorithm, the
// fixed extensions, the authority key id) is encoded once in the
// constructor; a certificate then costs one buffer, a few copies and one
// node:crypto signature, the only expensive step.
//
// Leaf profile (spec): v3, random 128-bit serial, empty subject, the key from
// the proxy's request, keyUsage digitalSignature|keyEncipherment|keyAgreement
// (critical), extKeyUsage serverAuth+clientAuth, basicConstraints CA:false
// (critical), exactly one URI SAN (critical, as RFC 5280 asks when the
// subject is empty), authorityKeyIdentifier.

import { randomFillSync, sign, type KeyObject } from 'node:crypto';
import { signatureAlgorithmFor, type KeyType, type SignatureAlgorithm } from './algorithms.js';
import { contextTag, DER_TRUE, lengthSize, octets, oid, seq, TAG, timeSize, tlv, tlvSize, writeHeader, writeTime } from './der-writer.js';

export interface CaSigningKey {
  privateKey: KeyObject;
  keyType: KeyType;
  /** The CA's subject Name, DER, exactly as in its certificate. */
  subject: Buffer;
  /** The CA's key identifier (see keyIdentifierOf). */
  keyId: Buffer;
}

export interface LeafRequest {
  /** SubjectPublicKeyInfo, DER (from a verified CSR). */
  spki: Buffer;
  /** The one URI SAN (the SPIFFE ID); ASCII. */
  uri: string;
  /** Milliseconds since the epoch; truncated to whole seconds. */
  notBefore: number;
  notAfter: number;
}

const VERSION_3 = Buffer.from([contextTag(0, true), 3, TAG.INTEGER, 1, 2]);
const EMPTY_NAME = Buffer.from([TAG.SEQUENCE, 0]);
const SERIAL_BYTES = 16;
const SERIAL_TLV = 2 + SERIAL_BYTES;
const SAN_OID = oid('2.5.29.17');
const URI_TAG = contextTag(6, false);
// digitalSignature (bit 0) | keyEncipherment (bit 2) | keyAgreement (bit 4): 0b10101000, 3 unused bits.
const FIXED_EXTENSIONS = Buffer.concat([
  seq(oid('2.5.29.15'), DER_TRUE, octets(Buffer.from([TAG.BIT_STRING, 2, 3, 0xa8]))),
  seq(oid('2.5.29.37'), octets(seq(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2')))),
  seq(oid('2.5.29.19'), DER_TRUE, octets(seq())),
]);
const ASCII_URI = /^[\x21-\x7e]+$/;

// Serials come from a pooled random buffer: one randomFill per 256 certificates.
const serialPool = Buffer.allocUnsafe(SERIAL_BYTES * 256);
let serialOff = serialPool.length;

function writeSerial(buf: Buffer, off: number): number {
  if (serialOff >= serialPool.length) {
    randomFillSync(serialPool);
    serialOff = 0;
  }
  off = writeHeader(buf, off, TAG.INTEGER, SERIAL_BYTES);
  serialPool.copy(buf, off, serialOff, serialOff + SERIAL_BYTES);
  buf[off] = (buf[off]! & 0x7f) | 0x01; // positive and never a needless leading zero
  serialOff += SERIAL_BYTES;
  return off + SERIAL_BYTES;
}

export class LeafCertificateWriter {
  readonly algorithm: SignatureAlgorithm;
  private readonly authorityKeyId: Buffer;
  private readonly maxSignature: number;

  constructor(private readonly ca: CaSigningKey) {
    this.algorithm = signatureAlgorithmFor(ca.keyType);
    this.authorityKeyId = seq(oid('2.5.29.35'), octets(seq(tlv(contextTag(0, false), ca.keyId))));
    // ECDSA: SEQUENCE of two INTEGERs, each at most one byte over the field size; RSA: the modulus size.
    this.maxSignature = ca.keyType.kind === 'rsa' ? Math.ceil(ca.keyType.bits / 8) : 2 * ((ca.keyType.curve === 'P-384' ? 48 : 32) + 3) + 3;
  }

  /** A signed certificate, DER. */
  certificate(req: LeafRequest): Buffer {
    if (!ASCII_URI.test(req.uri)) throw new Error(`URI SAN must be printable ASCII: ${JSON.stringify(req.uri)}`);
    const nb = Math.floor(req.notBefore / 1000) * 1000;
    const na = Math.floor(req.notAfter / 1000) * 1000;
    const uriLen = req.uri.length;
    const gns = tlvSize(tlvSize(uriLen));
    const san = tlvSize(SAN_OID.length + DER_TRUE.length + tlvSize(gns));
    const extList = FIXED_EXTENSIONS.length + san + this.authorityKeyId.length;
    const exts = tlvSize(tlvSize(extList));
    const validity = tlvSize(timeSize(nb) + timeSize(na));
    const alg = this.algorithm.identifier;
    const tbsLen = VERSION_3.length + SERIAL_TLV + alg.length + this.ca.subject.length + validity + EMPTY_NAME.length + req.spki.length + exts;
    const tbsSize = tlvSize(tbsLen);
    // Room for the outer header in front, the algorithm and signature behind.
    const head = 4;
    const buf = Buffer.allocUnsafe(head + tbsSize + alg.length + tlvSize(this.maxSignature + 1));
    let off = writeHeader(buf, head, TAG.SEQUENCE, tbsLen);
    off += VERSION_3.copy(buf, off);
    off = writeSerial(buf, off);
    off += alg.copy(buf, off);
    off += this.ca.subject.copy(buf, off);
    off = writeHeader(buf, off, TAG.SEQUENCE, timeSize(nb) + timeSize(na));
    off = writeTime(buf, off, nb);
    off = writeTime(buf, off, na);
    off += EMPTY_NAME.copy(buf, off);
    off += req.spki.copy(buf, off);
    off = writeHeader(buf, off, contextTag(3, true), tlvSize(extList));
    off = writeHeader(buf, off, TAG.SEQUENCE, extList);
    off += FIXED_EXTENSIONS.copy(buf, off);
    off = writeHeader(buf, off, TAG.SEQUENCE, SAN_OID.length + DER_TRUE.length + tlvSize(gns));
    off += SAN_OID.copy(buf, off);
    off += DER_TRUE.copy(buf, off);
    off = writeHeader(buf, off, TAG.OCTET_STRING, gns);
    off = writeHeader(buf, off, TAG.SEQUENCE, tlvSize(uriLen));
    off = writeHeader(buf, off, URI_TAG, uriLen);
    off += buf.write(req.uri, off, 'latin1');
    off += this.authorityKeyId.copy(buf, off);
    const signature = sign(this.algorithm.hash, buf.subarray(head, off), this.ca.privateKey);
    off += alg.copy(buf, off);
    off = writeHeader(buf, off, TAG.BIT_STRING, signature.length + 1);
    buf[off++] = 0;
    off += signature.copy(buf, off);
    const body = off - head;
    const start = head - (1 + lengthSize(body));
    writeHeader(buf, start, TAG.SEQUENCE, body);
    return buf.subarray(start, off);
  }
}
