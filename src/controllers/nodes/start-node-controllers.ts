// Runs the node controllers together (node lifecycle and taint eviction) over
// one set of informers; `workplane serve` calls this with its in-process client.

import type { Logger } from '../../client/logger.js';
import { SharedInformers } from '../../client/shared-informers.js';
import type { Client } from '../../client/types.js';
import { nodeLifecycleController } from './node-lifecycle-controller.js';
import { nodeLifecycleOptions, type NodeLifecycleOptions } from './options.js';
import { taintEvictionController } from './taint-eviction-controller.js';

export interface StartNodeControllersOptions extends Partial<NodeLifecycleOptions> {
  /** Share informers with other controllers of the process (e.g. the scheduler's pods and nodes). */
  informers?: SharedInformers;
}

/** Runs until `signal` aborts; resolves once the controllers and their informers have stopped. */
export async function startNodeControllers(client: Client, signal: AbortSignal, opts: StartNodeControllersOptions = {}, log?: Logger): Promise<void> {
  const o = nodeLifecycleOptions(opts);
  const own = !opts.informers;
  const informers = opts.informers ?? new SharedInformers(client, { log });
  await Promise.all([
    nodeLifecycleController(client, { gracePeriodSeconds: o.gracePeriodSeconds, leaseNamespace: o.leaseNamespace, informers, log }).start(signal),
    taintEvictionController(client, { informers, workers: o.evictionWorkers, log }).start(signal),
  ]);
  if (own) await informers.stopped();
}
