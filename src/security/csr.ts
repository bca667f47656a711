// PKCS#10 certificate signing requests: node agents make them (their private
// key never leaves the host) and the API server's signer reads them. Only what
// signing decisions need is read: the subject's CN and O, the requested subject
// alternative names, and whether the request is signed by its own key.
import { isIP } from 'node:net';
import { x509 } from './x509.js';
import { EC_P256, generateEcKeyPair, privateKeyToPem } from './keys.js';

export interface CsrSubject {
  commonName: string;
  organizations?: readonly string[];
  /** Subject alternative names: DNS names and IP addresses (serving certificates). */
  hosts?: readonly string[];
}

export interface ParsedCsr {
  commonName: string;
  organizations: string[];
  dnsNames: string[];
  ipAddresses: string[];
  /** Names a signer must refuse to put in a certificate it did not expect (URIs, e-mails...). */
  otherNames: string[];
  /** The key the certificate will certify. */
  publicKey: x509.PublicKey;
}

const SAN_OID = '2.5.29.17';

// RFC 4514 escaping for the attribute values we write (CN may hold ':' only, but be safe).
const escapeDn = (v: string) => v.replace(/([,+"\\<>;=#])/g, '\\$1');

/** A new P-256 key and a CSR for it, both PEM. */
export async function createCsr(subject: CsrSubject): Promise<{ csrPem: string; keyPem: string }> {
  const keys = await generateEcKeyPair();
  const name = [...(subject.organizations ?? []).map((o) => `O=${escapeDn(o)}`), `CN=${escapeDn(subject.commonName)}`].join(', ');
  const extensions: x509.Extension[] = [];
  if (subject.hosts?.length) {
    extensions.push(new x509.SubjectAlternativeNameExtension(subject.hosts.map((h) => ({ type: isIP(h) ? ('ip' as const) : ('dns' as const), value: h }))));
  }
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name, keys, signingAlgorithm: EC_P256, extensions });
  return { csrPem: csr.toString('pem') + '\n', keyPem: await privateKeyToPem(keys.privateKey) };
}

/** Reads a PEM CSR and checks its self-signature; throws an Error saying what is wrong. */
export async function parseCsr(pem: string): Promise<ParsedCsr> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(pem);
  } catch (e) {
    throw new Error(`PEM block type must be CERTIFICATE REQUEST (${(e as Error).message})`);
  }
  if (!(await csr.verify().catch(() => false))) throw new Error('the request is not signed by the key it carries');
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  const otherNames: string[] = [];
  const san = csr.getExtension(SAN_OID);
  if (san) {
    for (const n of new x509.SubjectAlternativeNameExtension(san.rawData).names.items) {
      if (n.type === 'dns') dnsNames.push(n.value);
      else if (n.type === 'ip') ipAddresses.push(n.value);
      else otherNames.push(`${n.type}:${n.value}`);
    }
  }
  const cns = csr.subjectName.getField('CN');
  return {
    commonName: cns[0] ?? '',
    organizations: csr.subjectName.getField('O'),
    dnsNames,
    ipAddresses,
    otherNames,
    publicKey: csr.publicKey,
  };
}
