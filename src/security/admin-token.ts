// The admin bearer token written into the kubeconfig. It is generated once and
// kept in <dataDir>/admin.token so kubeconfigs handed out earlier keep working
// after a restart.
import { randomBytes } from 'node:crypto';
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { SECRET_FILE_MODE, readOptional, writeSecretFile } from './secret-file.js';

export const ADMIN_TOKEN_FILE = 'admin.token';

// Ours are 43 base64url characters; an operator may put their own token in
// the file, which we keep if it is not trivially guessable.
const ACCEPTED_TOKEN = /^[\x21-\x7e]{16,}$/;

export async function loadOrCreateAdminToken(dataDir: string): Promise<string> {
  const path = join(dataDir, ADMIN_TOKEN_FILE);
  const existing = (await readOptional(path))?.trim();
  if (existing !== undefined && ACCEPTED_TOKEN.test(existing)) {
    await chmod(path, SECRET_FILE_MODE);
    return existing;
  }
  // Never starting with '-' or '_': a token is passed as a command-line argument (`--token T`).
  let token = randomBytes(32).toString('base64url');
  while (!/^[A-Za-z0-9]/.test(token)) token = randomBytes(32).toString('base64url');
  await writeSecretFile(path, token + '\n');
  return token;
}
