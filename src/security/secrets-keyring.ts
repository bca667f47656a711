// The operator's encryption keys for secrets kept in shared storage
// (`--secrets-key-file`): one 256-bit key per line, base64. The first line
// seals; every line opens, so a key can be rotated by putting the new one
// first and keeping the old one below it until every replica has restarted.

import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';

export const SECRETS_KEY_BYTES = 32;

export interface SecretsKey {
  /** Names the key in sealed records without revealing it: sha256 of the key, 16 hex digits. */
  id: string;
  key: Buffer;
}

export interface SecretsKeyring {
  /** The key new records are sealed with. */
  primary: SecretsKey;
  /** Every key, by id, for opening records. */
  byId: Map<string, SecretsKey>;
  /** A note for the operator (e.g. the file is readable by others), or undefined. */
  warning?: string;
}

export class SecretsKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretsKeyError';
  }
}

const HOW = `each line must hold ${SECRETS_KEY_BYTES} random bytes in base64, e.g. \`head -c ${SECRETS_KEY_BYTES} /dev/urandom | base64\``;

export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** Parses a key file's text; `source` names it in errors. */
export function parseSecretsKeyring(text: string, source: string): SecretsKeyring {
  const keys: SecretsKey[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(line)) throw new SecretsKeyError(`${source}: line ${i + 1} is not base64; ${HOW}`);
    const key = Buffer.from(line, 'base64');
    if (key.length !== SECRETS_KEY_BYTES) throw new SecretsKeyError(`${source}: line ${i + 1} holds ${key.length} bytes, not ${SECRETS_KEY_BYTES}; ${HOW}`);
    keys.push({ id: keyId(key), key });
  }
  if (keys.length === 0) throw new SecretsKeyError(`${source}: no key in the file; ${HOW}`);
  return { primary: keys[0], byId: new Map(keys.map((k) => [k.id, k])) };
}

export async function readSecretsKeyring(path: string): Promise<SecretsKeyring> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new SecretsKeyError(`--secrets-key-file ${path}: ${(err as Error).message}`);
  }
  const ring = parseSecretsKeyring(text, `--secrets-key-file ${path}`);
  const mode = (await stat(path)).mode & 0o777;
  if (mode & 0o077) ring.warning = `--secrets-key-file ${path} is readable by other users (mode ${mode.toString(8).padStart(4, '0')}); chmod 600 it`;
  return ring;
}
