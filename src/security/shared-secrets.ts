// Keeps the cluster secrets in the shared store, so every replica of a control
// plane uses one CA, one token signing key and one admin token. The record is
// created once, by whichever replica gets there first: a create-if-absent
// write, so two replicas starting together both end up with the winner's
// copy. It lives outside /registry/ (no API serves it, the watch cache never
// holds it) and is sealed with the operator's key (secret-envelope.ts).

import { isKeyExists, isRevisionMismatch, type KeyValue, type Store } from '../storage/types.js';
import { ClusterSecretsError, decodeClusterSecrets, encodeClusterSecrets, importOrGenerateClusterSecrets, type ClusterSecrets, type ImportedSecrets } from './cluster-secrets.js';
import { needsResealing, open, seal, type Envelope } from './secret-envelope.js';
import type { SecretsKeyring } from './secrets-keyring.js';

export const CLUSTER_SECRETS_KEY = '/workplane/cluster-secrets';
const API_VERSION = 'workplane.dev/v1';
const KIND = 'ClusterSecrets';
const WHERE = `the cluster secrets record (${CLUSTER_SECRETS_KEY})`;

export interface SharedSecretsOptions {
  /** Seals the record; without it the record is plaintext (the caller decides whether that is allowed). */
  keyring?: SecretsKeyring;
  /** An existing data directory whose CA, signing key and admin token seed the record if it is absent. */
  dataDir: string;
  now?: Date;
}

export interface SharedSecrets {
  secrets: ClusterSecrets;
  /** This replica wrote the record (it did not exist). */
  created: boolean;
  /** What this replica took from its data directory when it created the record. */
  imported: ImportedSecrets['imported'];
  /** This replica re-encrypted the record (plaintext before, or sealed with an older key). */
  resealed: boolean;
}

export async function loadOrCreateSharedSecrets(store: Store, opts: SharedSecretsOptions): Promise<SharedSecrets> {
  let kv = await store.get(CLUSTER_SECRETS_KEY);
  if (!kv) {
    const { secrets, imported } = await importOrGenerateClusterSecrets(opts.dataDir, opts.now);
    try {
      await store.create(CLUSTER_SECRETS_KEY, render(secrets, opts.keyring));
      return { secrets, created: true, imported, resealed: false };
    } catch (err) {
      if (!isKeyExists(err)) throw err;
      // Another replica created it first: theirs is the cluster's.
      kv = err.current ?? (await store.get(CLUSTER_SECRETS_KEY));
      if (!kv) throw err;
    }
  }
  const { secrets, envelope } = parse(kv, opts.keyring);
  let resealed = false;
  if (needsResealing(envelope, opts.keyring)) {
    try {
      await store.update(CLUSTER_SECRETS_KEY, render(secrets, opts.keyring), kv.modRevision);
      resealed = true;
    } catch (err) {
      // Another replica re-encrypted it meanwhile; the secrets are the same either way.
      if (!isRevisionMismatch(err)) throw err;
    }
  }
  return { secrets, created: false, imported: [], resealed };
}

function render(secrets: ClusterSecrets, keyring: SecretsKeyring | undefined): string {
  const envelope = seal(encodeClusterSecrets(secrets), CLUSTER_SECRETS_KEY, keyring);
  return JSON.stringify({ apiVersion: API_VERSION, kind: KIND, ...envelope });
}

function parse(kv: KeyValue, keyring: SecretsKeyring | undefined): { secrets: ClusterSecrets; envelope: Envelope } {
  let doc: { apiVersion?: unknown; kind?: unknown } & Envelope;
  try {
    doc = JSON.parse(kv.value);
  } catch {
    throw new ClusterSecretsError(`${WHERE} is not valid JSON`);
  }
  if (doc.apiVersion !== API_VERSION || doc.kind !== KIND) throw new ClusterSecretsError(`${WHERE} is not a ${API_VERSION} ${KIND}`);
  return { secrets: decodeClusterSecrets(open(doc, CLUSTER_SECRETS_KEY, keyring, WHERE), WHERE), envelope: doc };
}
