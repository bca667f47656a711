// The apps/v1 controllers `workplane serve` runs in process: ReplicaSets
// keep their pods, Deployments roll their ReplicaSets.

import type { Logger } from '../../client/logger.js';
import { SharedInformers } from '../../client/shared-informers.js';
import type { Client } from '../../client/types.js';
import { deploymentController } from './deployment-controller.js';
import { replicaSetController } from './replica-set-controller.js';

export { deploymentController, DeploymentReconciler } from './deployment-controller.js';
export { replicaSetController, ReplicaSetReconciler, replicaSetStatus } from './replica-set-controller.js';
export { PodControl, podFromTemplate, controllerRef } from './pod-control.js';
export * from './resources.js';

export interface AppsControllerOptions {
  log?: Logger;
  informers?: SharedInformers;
  workers?: number;
}

/** Runs the apps controllers until `signal` aborts; resolves once they (and their informers, if their own) have stopped. */
export async function startAppsControllers(client: Client, signal: AbortSignal, opts: AppsControllerOptions = {}): Promise<void> {
  if (!client.forKind('apps/v1', 'ReplicaSet')) return;
  const informers = opts.informers ?? new SharedInformers(client, { log: opts.log });
  const runs = [replicaSetController(client, { informers, log: opts.log, workers: opts.workers }).start(signal)];
  if (client.forKind('apps/v1', 'Deployment')) runs.push(deploymentController(client, { informers, log: opts.log, workers: opts.workers }).start(signal));
  await Promise.all(runs);
  if (!opts.informers) await informers.stopped();
}
