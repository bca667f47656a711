// The core controllers `workplane serve` runs in process: namespace lifecycle,
// default service accounts and garbage collection, sharing one set of informers.

import type { Logger } from '../../client/logger.js';
import { SharedInformers } from '../../client/shared-informers.js';
import type { Client } from '../../client/types.js';
import { GarbageCollector } from './garbage-collector.js';
import { namespaceController } from './namespace-controller.js';
import { serviceAccountController } from './service-account-controller.js';

export { GarbageCollector, FOREGROUND, ORPHAN, type GarbageCollectorOptions } from './garbage-collector.js';
export { namespaceController, NamespaceReconciler, NAMESPACES, NAMESPACE_FINALIZER, type NamespaceControllerOptions } from './namespace-controller.js';
export { serviceAccountController, SERVICE_ACCOUNTS, DEFAULT_SERVICE_ACCOUNT, type ServiceAccountControllerOptions } from './service-account-controller.js';
export { OwnerGraph, type Dependent } from './owner-graph.js';

/** Runs the core controllers until `signal` aborts; resolves once they and their informers have stopped. */
export async function runCoreControllers(client: Client, signal: AbortSignal, opts: { log?: Logger; resourcesChanged?: (listener: () => void) => () => void } = {}): Promise<void> {
  const informers = new SharedInformers(client, { log: opts.log });
  const runs = [
    namespaceController(client, { informers, log: opts.log }).start(signal),
    serviceAccountController(client, { informers, log: opts.log }).start(signal),
    new GarbageCollector(client, { informers, log: opts.log, resourcesChanged: opts.resourcesChanged }).start(signal),
  ];
  await Promise.all(runs);
  await informers.stopped();
}
