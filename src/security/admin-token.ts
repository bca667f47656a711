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

export const isAcceptableAdminToken = (token: string): boolean => ACCEPTED_TOKEN.test(token);

/** A fresh random token: 32 bytes, base64url. */
export function generateAdminToken(): string {
  // Never starting with '-' or '_': a token is passed as a command-line argument (`--token T`).
  let token = randomBytes(32).toString('base64url');
  while (!/^[A-Za-z0-9]/.test(token)) token = randomBytes(32).toString('base64url');
  return token;
}

/** The acceptable token in <dataDir>/admin.token, if there is one. */
export async function readAdminTokenFile(dataDir: string): Promise<string | undefined> {
  const existing = (await readOptional(join(dataDir, ADMIN_TOKEN_FILE)))?.trim();
  return existing !== undefined && isAcceptableAdminToken(existing) ? existing : undefined;
}

export async function writeAdminTokenFile(dataDir: string, token: string): Promise<void> {
  await writeSecretFile(join(dataDir, ADMIN_TOKEN_FILE), token + '\n');
}

export async function loadOrCreateAdminToken(dataDir: string): Promise<string> {
  const existing = await readAdminTokenFile(dataDir);
  if (existing !== undefined) {
    await chmod(join(dataDir, ADMIN_TOKEN_FILE), SECRET_FILE_MODE);
    return existing;
  }
  const token = generateAdminToken();
  await writeAdminTokenFile(dataDir, token);
  return token;
}
