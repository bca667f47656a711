// The compute controllers `workplane serve` runs in process (Workloads, their
// Networks' address counts, Projects' namespaces, ResourceQuota accounting)
// and the admission plugins that go with them (ResourceQuota for pods).

import type { Logger } from '../../client/logger.js';
import { SharedInformers } from '../../client/shared-informers.js';
import type { Client } from '../../client/types.js';
import type { AdmissionPlugin } from '../../registry/admission.js';
import type { Registry } from '../../registry/registry.js';
import { quotaController } from '../quota/quota-controller.js';
import { resourceQuotaAdmission } from '../quota/quota-admission.js';
import { IpAllocator } from './ip-allocator.js';
import { networkController } from './network-controller.js';
import { projectController } from './project-controller.js';
import { PODS } from './resources.js';
import { trackPodAddresses, workloadController } from './workload-controller.js';

export { workloadController, WorkloadReconciler, workloadHash, trackPodAddresses, CONTROLLER_UID_INDEX, type WorkloadControllerOptions } from './workload-controller.js';
export { networkController, type NetworkControllerOptions } from './network-controller.js';
export { projectController, ProjectReconciler, PROJECT_FINALIZER, PROJECT_LABEL, type ProjectControllerOptions } from './project-controller.js';
export { IpAllocator, podAddress } from './ip-allocator.js';
export { planRollout, podHash, type RolloutPlan } from './rollout-plan.js';
export { workloadStatus, summarize, type Observation, type Summary } from './workload-status.js';
export { templateHash } from './template-hash.js';
export { DEFAULT_PROGRESS_DEADLINE_SECONDS } from './progress-deadline.js';
export * from './resources.js';

export interface ComputeControllerOptions {
  log?: Logger;
  /** Seconds without progress before a Workload is reported ProgressDeadlineExceeded (default 600). */
  progressDeadlineSeconds?: number;
  /** Share informers with other controllers of the process (default: a set of their own). */
  informers?: SharedInformers;
  /** Concurrent workload reconciles (default 4). */
  workers?: number;
}

const served = (client: Client, apiVersion: string, kind: string) => client.forKind(apiVersion, kind) !== undefined;

/** Runs the compute controllers until `signal` aborts; resolves once they and their informers have stopped. */
export async function startComputeControllers(client: Client, signal: AbortSignal, opts: ComputeControllerOptions = {}): Promise<void> {
  const informers = opts.informers ?? new SharedInformers(client, { log: opts.log });
  const runs: Promise<void>[] = [];
  if (served(client, 'v1', 'ResourceQuota')) runs.push(quotaController(client, { informers, log: opts.log }).start(signal));
  if (served(client, 'resourcemanager.miloapis.com/v1alpha1', 'Project')) runs.push(projectController(client, { informers, log: opts.log }).start(signal));
  if (served(client, 'compute.miloapis.com/v1alpha1', 'Workload')) {
    const allocator = new IpAllocator();
    trackPodAddresses(allocator, informers.informerFor(PODS));
    const workloads = workloadController(client, { informers, allocator, log: opts.log, progressDeadlineSeconds: opts.progressDeadlineSeconds, workers: opts.workers });
    runs.push(workloads.start(signal));
    if (served(client, 'networking.miloapis.com/v1alpha1', 'Network')) runs.push(networkController(client, allocator, { informers, log: opts.log }).start(signal));
  }
  await Promise.all(runs);
  if (!opts.informers) await informers.stopped();
}

/** Admission plugins to register on the API server's chain (after NamespaceLifecycle). */
export function computeAdmissionPlugins(registry: Registry): AdmissionPlugin[] {
  return [resourceQuotaAdmission(registry)];
}
