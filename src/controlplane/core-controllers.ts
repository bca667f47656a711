// Starts the in-process core controllers (namespace lifecycle, default service
// accounts, garbage collection). Filled in as the controllers land.

import type { Logger } from 'pino';
import type { Registry } from '../registry/registry.js';

export interface Runnables {
  stop(): Promise<void>;
}

export async function startCoreControllers(registry: Registry, signal: AbortSignal, logger: Logger): Promise<Runnables> {
  void registry;
  void signal;
  void logger;
  return { stop: async () => {} };
}
