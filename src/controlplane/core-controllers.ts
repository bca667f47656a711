// Starts the in-process core controllers (namespace lifecycle, default service
// accounts, garbage collection) over the in-process client.

import type { Logger } from 'pino';
import { InProcessClient } from '../client/in-process-client.js';
import { runCoreControllers } from '../controllers/core/index.js';
import type { Registry } from '../registry/registry.js';
import { startNodeControllers } from '../controllers/nodes/index.js';
import type { ServeOptions } from './options.js';

export interface Runnables {
  stop(): Promise<void>;
}

export async function startCoreControllers(registry: Registry, signal: AbortSignal, logger: Logger, opts: ServeOptions): Promise<Runnables> {
  const client = new InProcessClient(registry, { fieldManager: 'workplane-controllers', log: logger });
  const done = Promise.all([
    runCoreControllers(client, signal, { log: logger, resourcesChanged: (l) => registry.onChange(l) }),
    startNodeControllers(client, signal, { gracePeriodSeconds: opts.nodeGracePeriodSeconds, evictionSeconds: opts.nodeEvictionSeconds }, logger),
  ]);
  return { stop: async () => void (await done) };
}
