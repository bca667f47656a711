// What a replica keeps on disk once the cluster secrets live in the shared
// store: the public CA certificate (pki/ca.crt, for users and tools) and the
// admin token (admin.token; the kubeconfig carries it too), never the private
// keys. Files left from before that disagree with the shared copy (a replica
// that had its own CA before joining) are set aside as *.superseded rather
// than deleted, and the caller is told, since kubeconfigs pinned to them stop
// working.

import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { ADMIN_TOKEN_FILE, readAdminTokenFile, writeAdminTokenFile } from './admin-token.js';
import type { ClusterSecrets } from './cluster-secrets.js';
import { signingKeyPath } from './jwt-signer.js';
import { caPaths } from './pki.js';
import { readOptional, writeSecretFile } from './secret-file.js';

/** Brings the data directory in line with the shared secrets; returns notes for the operator. */
export async function syncDataDirWithSharedSecrets(dataDir: string, secrets: ClusterSecrets): Promise<string[]> {
  const notes: string[] = [];
  const ca = caPaths(dataDir);
  const localCa = await readOptional(ca.cert);
  if (localCa !== undefined && localCa !== secrets.ca.certPem) {
    await setAside(ca.cert);
    await setAside(ca.key);
    notes.push(`${ca.cert} held a different CA than the cluster's shared one; it is now ${ca.cert}.superseded, and kubeconfigs pinned to it must be replaced`);
  }
  if (localCa !== secrets.ca.certPem) await writeSecretFile(ca.cert, secrets.ca.certPem);
  const saKey = signingKeyPath(dataDir);
  const localKey = await readOptional(saKey);
  if (localKey !== undefined && localKey !== secrets.signingKeyPem) {
    await setAside(saKey);
    notes.push(`${saKey} held a different token signing key than the cluster's shared one; it is now ${saKey}.superseded, and tokens it signed are no longer accepted`);
  }
  const localToken = await readAdminTokenFile(dataDir);
  if (localToken !== secrets.adminToken) {
    if (localToken !== undefined) notes.push(`${join(dataDir, ADMIN_TOKEN_FILE)} held a different admin token than the cluster's shared one; it is replaced`);
    await writeAdminTokenFile(dataDir, secrets.adminToken);
  }
  return notes;
}

async function setAside(path: string): Promise<void> {
  try {
    await rename(path, `${path}.superseded`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
