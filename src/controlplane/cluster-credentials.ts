// Where `workplane serve` keeps the cluster's CA, token signing key and admin
// token. In the data directory (sqlite or memory storage, no key file: one
// replica by construction, as always), or in the shared store, where every
// replica finds the same ones (--secrets-key-file seals them there). etcd
// means replicas may share the store, so there the secrets must be shared too,
// and they are never put there in plaintext unless the operator says so.
// Serving certificates belong to each replica (its own hosts) but are signed
// by the cluster CA wherever that lives.

import type { Logger } from 'pino';
import {
  TokenIssuer,
  loadOrCreateAdminToken,
  loadOrCreatePki,
  type Pki,
} from '../security/index.js';
import { caExpiry } from '../security/cluster-secrets.js';
import { readSecretsKeyring, type SecretsKeyring } from '../security/secrets-keyring.js';
import { loadOrCreateSharedSecrets } from '../security/shared-secrets.js';
import { syncDataDirWithSharedSecrets } from '../security/shared-secrets-files.js';
import type { Store } from '../storage/types.js';
import type { ServeOptions } from './options.js';

export interface ClusterCredentials {
  pki: Pki;
  adminToken: string;
  tokens: TokenIssuer;
  /** `store` when the secrets are shared through storage, `data-dir` when kept in files. */
  kept: 'store' | 'data-dir';
}

type SecretsOptions = Pick<ServeOptions, 'storage' | 'secretsKeyFile' | 'allowUnencryptedSecrets'>;

/** Why these options cannot start, or undefined. Checked before anything is opened. */
export function secretsOptionsError(opts: SecretsOptions): string | undefined {
  if (opts.storage !== 'etcd' || opts.secretsKeyFile || opts.allowUnencryptedSecrets) return undefined;
  return (
    "--storage etcd keeps the cluster's CA, token signing key and admin token in etcd, shared by every replica; " +
    'give --secrets-key-file FILE to encrypt them there (FILE: 32 random bytes in base64, e.g. `head -c 32 /dev/urandom | base64 > FILE`, ' +
    'the same file on every replica), or --allow-unencrypted-secrets to store them in plaintext'
  );
}

export async function loadClusterCredentials(store: Store, dataDir: string, hosts: string[], opts: SecretsOptions, log: Logger): Promise<ClusterCredentials> {
  const problem = secretsOptionsError(opts);
  if (problem) throw new Error(problem);
  const shared = opts.secretsKeyFile !== undefined || opts.allowUnencryptedSecrets === true;
  if (!shared) {
    const pki = await loadOrCreatePki(dataDir, { hosts });
    return { pki, adminToken: await loadOrCreateAdminToken(dataDir), tokens: await TokenIssuer.loadOrCreate(dataDir, {}), kept: 'data-dir' };
  }
  let keyring: SecretsKeyring | undefined;
  if (opts.secretsKeyFile !== undefined) {
    keyring = await readSecretsKeyring(opts.secretsKeyFile);
    if (keyring.warning) log.warn(keyring.warning);
  } else {
    log.warn('cluster secrets are kept in storage UNENCRYPTED (--allow-unencrypted-secrets): anyone who can read the store or its backups can act as any user');
  }
  const res = await loadOrCreateSharedSecrets(store, { keyring, dataDir });
  const { secrets } = res;
  if (res.created) log.info({ imported: res.imported }, 'created the shared cluster secrets (CA, token signing key, admin token)');
  const importedKeys = [res.imported.includes('ca') && 'pki/ca.key', res.imported.includes('signingKey') && 'pki/sa.key'].filter(Boolean);
  if (importedKeys.length) log.info(`imported ${dataDir}'s ${importedKeys.join(' and ')} into the shared store; the files are no longer read and may be deleted once no rollback is planned`);
  if (res.resealed) log.info({ keyId: keyring?.primary.id }, 're-encrypted the shared cluster secrets with the first key of --secrets-key-file');
  for (const note of await syncDataDirWithSharedSecrets(dataDir, secrets)) log.warn(note);
  const expires = caExpiry(secrets.ca);
  if (expires.getTime() - Date.now() < 30 * 86_400_000) log.warn({ expires }, 'the shared cluster CA expires within 30 days; it is not replaced automatically');
  const pki = await loadOrCreatePki(dataDir, { hosts, ca: secrets.ca });
  return { pki, adminToken: secrets.adminToken, tokens: await TokenIssuer.fromPem(secrets.signingKeyPem), kept: 'store' };
}
