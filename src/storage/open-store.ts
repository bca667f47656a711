// Picks and opens a storage backend by name (the `--storage` flag).

import { openEtcdStore } from './etcd/etcd-store.js';
import { openMemoryStore } from './memory/memory-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './types.js';

export type StoreKind = 'memory' | 'sqlite' | 'etcd';

export interface OpenStoreOptions {
  kind: StoreKind;
  /** Directory holding `state.db` (sqlite only). */
  dataDir?: string;
  etcdEndpoints?: string[];
  /** Namespace every key under this prefix in etcd (for sharing one cluster). */
  etcdPrefix?: string;
}

export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  switch (opts.kind) {
    case 'memory':
      return openMemoryStore();
    case 'sqlite':
      if (!opts.dataDir) throw new Error('sqlite storage needs a data directory');
      return openSqliteStore({ dataDir: opts.dataDir });
    case 'etcd':
      if (!opts.etcdEndpoints?.length) throw new Error('etcd storage needs at least one endpoint');
      return openEtcdStore({ endpoints: opts.etcdEndpoints, prefix: opts.etcdPrefix });
    default:
      throw new Error(`unknown storage kind: ${String((opts as { kind: unknown }).kind)}`);
  }
}
