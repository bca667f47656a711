// For tests of what several replicas keep in their data dirs and in shared
// storage: `n` fresh temporary directories and one memory store, all removed
// after `fn`, however it ends.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMemoryStore } from '../storage/memory/memory-store.js';
import type { Store } from '../storage/types.js';

export async function withDirsAndStore(n: number, fn: (dirs: string[], store: Store) => Promise<void>): Promise<void> {
  const dirs = await Promise.all(Array.from({ length: n }, () => mkdtemp(join(tmpdir(), 'workplane-replicas-'))));
  const store = openMemoryStore();
  try {
    await fn(dirs, store);
  } finally {
    await store.close();
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  }
}
