// Opens the in-memory backend: a MemoryEngine behind the shared local store.
// Writes apply immediately (there is no fsync to amortise, so no group commit).

import { LocalStore } from '../local/local-store.js';
import type { Store } from '../types.js';
import { MemoryEngine } from './memory-engine.js';

export interface MemoryStoreOptions {
  progressIntervalMs?: number;
}

export function openMemoryStore(opts: MemoryStoreOptions = {}): Store {
  return new LocalStore(new MemoryEngine(), { name: 'memory', groupCommit: false, ...opts });
}
