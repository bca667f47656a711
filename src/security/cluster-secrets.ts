// The cluster-wide secrets: what every replica of one control plane must hold
// the same copy of, or tokens and kubeconfigs issued by one replica fail on
// the next. The API CA (kubeconfigs pin it; it signs each replica's serving
// certificate), the token signing key (ServiceAccount and dataplane tokens)
// and the admin token. They are generated once, or taken from an existing
// data directory so that kubeconfigs handed out before keep working.

import { X509Certificate, createPrivateKey } from 'node:crypto';
import { generateAdminToken, isAcceptableAdminToken, readAdminTokenFile } from './admin-token.js';
import { createCertificateAuthority, isUsableCa } from './ca.js';
import { generateSigningKeyPem, signingKeyPath } from './jwt-signer.js';
import type { CertKeyPem } from './keys.js';
import { readUsableCa } from './pki.js';
import { readOptional } from './secret-file.js';

export interface ClusterSecrets {
  ca: CertKeyPem;
  /** Signs ServiceAccount and dataplane tokens (P-256, PKCS#8 PEM). */
  signingKeyPem: string;
  adminToken: string;
}

export class ClusterSecretsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterSecretsError';
  }
}

export interface ImportedSecrets {
  secrets: ClusterSecrets;
  /** Which parts came from the data directory (the rest was generated). */
  imported: ('ca' | 'signingKey' | 'adminToken')[];
}

/** The data directory's CA, signing key and admin token where present and usable; new ones for the rest. */
export async function importOrGenerateClusterSecrets(dataDir: string, now = new Date()): Promise<ImportedSecrets> {
  const imported: ImportedSecrets['imported'] = [];
  let ca = await readUsableCa(dataDir, now);
  if (ca) imported.push('ca');
  else ca = await createCertificateAuthority({ now });
  let signingKeyPem = await readOptional(signingKeyPath(dataDir));
  if (signingKeyPem !== undefined && isSigningKey(signingKeyPem)) imported.push('signingKey');
  else signingKeyPem = generateSigningKeyPem();
  let adminToken = await readAdminTokenFile(dataDir);
  if (adminToken !== undefined) imported.push('adminToken');
  else adminToken = generateAdminToken();
  return { secrets: { ca, signingKeyPem, adminToken }, imported };
}

/** The JSON form kept (sealed) in storage. */
export function encodeClusterSecrets(s: ClusterSecrets): string {
  return JSON.stringify({ caCertPem: s.ca.certPem, caKeyPem: s.ca.keyPem, signingKeyPem: s.signingKeyPem, adminToken: s.adminToken });
}

/** Parses and checks what encodeClusterSecrets wrote; `where` names the record in errors. */
export function decodeClusterSecrets(text: string, where: string): ClusterSecrets {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new ClusterSecretsError(`${where} is not valid JSON`);
  }
  const field = (name: string): string => {
    const v = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>)[name] : undefined;
    if (typeof v !== 'string' || v === '') throw new ClusterSecretsError(`${where}: ${name} is missing`);
    return v;
  };
  const s: ClusterSecrets = {
    ca: { certPem: field('caCertPem'), keyPem: field('caKeyPem') },
    signingKeyPem: field('signingKeyPem'),
    adminToken: field('adminToken'),
  };
  // Expiry is judged where the CA is used; here only that the pair is a CA and its key.
  if (!isUsableCa(s.ca, new Date(0), -Infinity)) throw new ClusterSecretsError(`${where}: caCertPem is not a CA certificate matching caKeyPem`);
  if (!isSigningKey(s.signingKeyPem)) throw new ClusterSecretsError(`${where}: signingKeyPem is not a P-256 private key`);
  if (!isAcceptableAdminToken(s.adminToken)) throw new ClusterSecretsError(`${where}: adminToken is not an acceptable token`);
  return s;
}

/** When the CA certificate stops being valid. */
export const caExpiry = (ca: CertKeyPem): Date => new Date(new X509Certificate(ca.certPem).validTo);

function isSigningKey(pem: string): boolean {
  try {
    return createPrivateKey(pem).asymmetricKeyDetails?.namedCurve === 'prime256v1';
  } catch {
    return false;
  }
}
