// Opens the SQLite backend: `<dataDir>/state.db` behind the shared local store,
// with group commit so concurrent writes share one transaction and one fsync.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LocalStore } from '../local/local-store.js';
import type { Store } from '../types.js';
import { SqliteEngine } from './sqlite-engine.js';

export interface SqliteStoreOptions {
  dataDir: string;
  progressIntervalMs?: number;
}

export function openSqliteStore(opts: SqliteStoreOptions): Store {
  mkdirSync(opts.dataDir, { recursive: true });
  const engine = new SqliteEngine(join(opts.dataDir, 'state.db'));
  return new LocalStore(engine, { name: 'sqlite', groupCommit: true, progressIntervalMs: opts.progressIntervalMs });
}
