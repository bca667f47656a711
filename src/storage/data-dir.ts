// The data directory holds the database, keys and tokens: nothing in it is
// for other users. `secureDataDir` creates it 0700 and, whatever state it was
// left in (an older version, a restored backup, a generous umask), brings the
// entries the server keeps there to 0700 (directories, with all they hold)
// and 0600 (files) at start-up. Only those entries: `--data-dir .` must not
// strip the execute bits off a checkout.
// `createPrivateFile` creates a file 0600 before a library opens it, so
// SQLite's state.db and the WAL and SHM files it derives from it (SQLite
// gives them the database file's mode) are never readable by others.

import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `dir` if needed and makes it private, with the named entries in it
 * (missing ones are skipped). Symbolic links are left alone.
 */
export function secureDataDir(dir: string, entries: readonly string[]): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
  for (const name of entries) {
    const path = join(dir, name);
    let stat;
    try {
      stat = lstatSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    if (stat.isDirectory()) secureTree(path);
    else if (stat.isFile()) chmodSync(path, PRIVATE_FILE_MODE);
  }
}

function secureTree(dir: string): void {
  chmodSync(dir, PRIVATE_DIR_MODE);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) secureTree(path);
    else if (entry.isFile()) chmodSync(path, PRIVATE_FILE_MODE);
  }
}

/** Creates `path` (mode 0600) if it does not exist, and makes it 0600 if it does. */
export function createPrivateFile(path: string): void {
  closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  if ((lstatSync(path).mode & 0o777) !== PRIVATE_FILE_MODE) chmodSync(path, PRIVATE_FILE_MODE);
}

/** Makes an existing file 0600; a missing one is fine. */
export function privateIfExists(path: string): void {
  try {
    chmodSync(path, PRIVATE_FILE_MODE);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
