// The batch/v1 controllers `workplane serve` runs in process: Jobs run their
// pods to completion, CronJobs create Jobs on a schedule.

import type { Logger } from '../../client/logger.js';
import { SharedInformers } from '../../client/shared-informers.js';
import type { Client } from '../../client/types.js';
import { cronJobController } from './cron-job-controller.js';
import { jobController, type Clock } from './job-controller.js';

export { jobController, JobReconciler, systemClock, type Clock } from './job-controller.js';
export { cronJobController, CronJobReconciler, jobFromTemplate } from './cron-job-controller.js';
export * from './resources.js';

export interface BatchControllerOptions {
  log?: Logger;
  informers?: SharedInformers;
  clock?: Clock;
  podFailureBackoffMs?: number;
}

export async function startBatchControllers(client: Client, signal: AbortSignal, opts: BatchControllerOptions = {}): Promise<void> {
  if (!client.forKind('batch/v1', 'Job')) return;
  const informers = opts.informers ?? new SharedInformers(client, { log: opts.log });
  const runs = [jobController(client, { informers, log: opts.log, clock: opts.clock, podFailureBackoffMs: opts.podFailureBackoffMs }).start(signal)];
  if (client.forKind('batch/v1', 'CronJob')) runs.push(cronJobController(client, { informers, log: opts.log, clock: opts.clock }).start(signal));
  await Promise.all(runs);
  if (!opts.informers) await informers.stopped();
}
