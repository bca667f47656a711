// The form a secret record takes in shared storage: AES-256-GCM with a key
// from the operator's keyring, bound (as additional authenticated data) to the
// storage key it lives under, so a record copied to another key does not open.
// Without a keyring the operator may opt into a plaintext record; the
// envelope says which it is, so a replica never mistakes one for the other.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretsKeyring } from './secrets-keyring.js';

const ALGORITHM = 'aes-256-gcm';
const NONCE_BYTES = 12;

export type Envelope =
  | { encryption: typeof ALGORITHM; keyId: string; nonce: string; ciphertext: string; tag: string }
  | { encryption: 'none'; plaintext: string };

export class EnvelopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvelopeError';
  }
}

/** Seals `plaintext` with the keyring's primary key, or leaves it readable when there is no keyring. */
export function seal(plaintext: string, boundTo: string, ring: SecretsKeyring | undefined): Envelope {
  if (!ring) return { encryption: 'none', plaintext };
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, ring.primary.key, nonce);
  cipher.setAAD(Buffer.from(boundTo));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    encryption: ALGORITHM,
    keyId: ring.primary.id,
    nonce: nonce.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

/** Opens an envelope; `where` names it in errors. */
export function open(env: Envelope, boundTo: string, ring: SecretsKeyring | undefined, where: string): string {
  if (env.encryption === 'none') return env.plaintext;
  if (env.encryption !== ALGORITHM) throw new EnvelopeError(`${where}: unknown encryption "${String((env as { encryption: unknown }).encryption)}"`);
  if (!ring) throw new EnvelopeError(`${where} is encrypted (key ${env.keyId}); start with --secrets-key-file naming the file that holds that key`);
  const k = ring.byId.get(env.keyId);
  if (!k) throw new EnvelopeError(`${where} is encrypted with key ${env.keyId}, which is not in --secrets-key-file (it holds ${[...ring.byId.keys()].join(', ')}); every replica needs the same key file`);
  try {
    const decipher = createDecipheriv(ALGORITHM, k.key, Buffer.from(env.nonce, 'base64'));
    decipher.setAAD(Buffer.from(boundTo));
    decipher.setAuthTag(Buffer.from(env.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(env.ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new EnvelopeError(`${where} does not decrypt with key ${env.keyId}: it was altered, or moved from another storage key`);
  }
}

/** Whether opening `env` with this keyring and sealing again would change how it is protected. */
export function needsResealing(env: Envelope, ring: SecretsKeyring | undefined): boolean {
  if (!ring) return false; // never downgrade a record to plaintext
  return env.encryption === 'none' || env.keyId !== ring.primary.id;
}
