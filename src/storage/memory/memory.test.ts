// The memory backend runs the shared store conformance suite; nothing else is specific to it.

import { runStoreConformance } from '../conformance.js';
import { openMemoryStore } from './memory-store.js';

runStoreConformance('memory', async () => {
  const store = openMemoryStore();
  return { store, cleanup: () => store.close() };
});
