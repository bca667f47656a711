// Opens the SQLite backend: `<dataDir>/state.db` behind the shared local store,
// with group commit so concurrent writes share one transaction and one fsync.
// The database and its WAL and SHM files are private (0600), the directory 0700.

import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createPrivateFile, privateIfExists, PRIVATE_DIR_MODE } from '../data-dir.js';
import { LocalStore } from '../local/local-store.js';
import type { Store } from '../types.js';
import { SqliteEngine } from './sqlite-engine.js';

export interface SqliteStoreOptions {
  dataDir: string;
  progressIntervalMs?: number;
}

export function openSqliteStore(opts: SqliteStoreOptions): Store {
  mkdirSync(opts.dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(opts.dataDir, PRIVATE_DIR_MODE);
  const file = join(opts.dataDir, 'state.db');
  // SQLite creates -wal and -shm with the database file's mode, so a private database keeps them private.
  createPrivateFile(file);
  privateIfExists(`${file}-wal`);
  privateIfExists(`${file}-shm`);
  const engine = new SqliteEngine(file);
  return new LocalStore(engine, { name: 'sqlite', groupCommit: true, progressIntervalMs: opts.progressIntervalMs });
}
