// The server's certificates on disk under <dataDir>/pki. The CA is created once
// and kept (kubeconfigs pin it); the serving certificate is cheap and is
// reissued whenever it no longer fits: new listen hosts, near expiry, or a
// replaced CA.
import { join } from 'node:path';
import { createCertificateAuthority, isUsableCa } from './ca.js';
import { issueServingCert, servingCertFits } from './serving-cert.js';
import { readOptional, writeSecretFile } from './secret-file.js';
import type { CertKeyPem } from './keys.js';

/** Reissue anything that would expire within this window. */
export const RENEW_BEFORE_MS = 30 * 86_400_000;

export interface PkiOptions {
  /** Hosts and IPs clients will dial, beyond localhost, 127.0.0.1 and ::1. */
  hosts: readonly string[];
  now?: Date;
}

export interface Pki {
  caPem: string;
  /** The CA's private key (PEM): it signs node and API server client certificates. */
  caKeyPem: string;
  certPem: string;
  keyPem: string;
}

export function pkiDir(dataDir: string): string {
  return join(dataDir, 'pki');
}

export async function loadOrCreatePki(dataDir: string, opts: PkiOptions): Promise<Pki> {
  const now = opts.now ?? new Date();
  const dir = pkiDir(dataDir);
  const caPaths = { cert: join(dir, 'ca.crt'), key: join(dir, 'ca.key') };
  const servingPaths = { cert: join(dir, 'server.crt'), key: join(dir, 'server.key') };

  let ca = await readPair(caPaths);
  let caReplaced = false;
  if (!ca || !isUsableCa(ca, now, RENEW_BEFORE_MS)) {
    ca = await createCertificateAuthority({ now });
    await writePair(caPaths, ca);
    caReplaced = true;
  }

  let serving = caReplaced ? undefined : await readPair(servingPaths);
  if (!serving || !servingCertFits(serving, ca.certPem, opts.hosts, now, RENEW_BEFORE_MS)) {
    serving = await issueServingCert(ca, opts.hosts, { now });
    await writePair(servingPaths, serving);
  }
  return { caPem: ca.certPem, caKeyPem: ca.keyPem, certPem: serving.certPem, keyPem: serving.keyPem };
}

async function readPair(paths: { cert: string; key: string }): Promise<CertKeyPem | undefined> {
  const [certPem, keyPem] = await Promise.all([readOptional(paths.cert), readOptional(paths.key)]);
  return certPem !== undefined && keyPem !== undefined ? { certPem, keyPem } : undefined;
}

// Key first: a crash between the two writes leaves a new key beside the old
// certificate, a mismatch the checks above catch, so the pair is recreated.
// Certificates are public but written 0600 anyway: nothing in the data dir is
// meant for other users.
async function writePair(paths: { cert: string; key: string }, pair: CertKeyPem): Promise<void> {
  await writeSecretFile(paths.key, pair.keyPem);
  await writeSecretFile(paths.cert, pair.certPem);
}
