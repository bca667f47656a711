// The mesh controllers `workplane serve` runs in process (pod → Dataplane,
// Workload generation, Workload status) over one set of informers, and the
// admission plugins that guard the kinds they manage.

import { EventRecorder } from '../../client/event-recorder.js';
import type { Logger } from '../../client/logger.js';
import { SharedInformers } from '../../client/shared-informers.js';
import type { Client } from '../../client/types.js';
import type { MeshConfig } from '../../mesh/config.js';
import { podAdmission } from '../../mesh/pod-admission.js';
import { controlPlaneOwnedAdmission } from '../../mesh/workload-admission.js';
import { systemNamespaceAdmission } from '../../mesh/system-namespace-admission.js';
import type { AdmissionPlugin } from '../../registry/admission.js';
import type { Registry } from '../../registry/registry.js';
import { podDataplaneController } from './pod-dataplane-controller.js';
import { workloadController } from './workload-controller.js';
import { workloadStatusController } from './workload-status-controller.js';

export { ensureMeshBootstrap } from './bootstrap.js';
export { dataplaneForPod, controllingPod, isPodReady, podIP } from './dataplane-for-pod.js';
export type { MeshControllerOptions } from './options.js';
export { podDataplaneController, PodDataplaneReconciler } from './pod-dataplane-controller.js';
export { countProxies, isProxyConnected, isProxyHealthy, type ProxyCounts } from './proxy-status.js';
export { BY_WORKLOAD, DATAPLANE_INSIGHTS, DATAPLANES, MESHES, WORKLOADS, dataplaneInformer, workloadKeyOf } from './resources.js';
export { multipleMeshesEventMessage, MULTIPLE_MESHES_REASON, workloadController, WorkloadReconciler } from './workload-controller.js';
export { workloadStatusController, WorkloadStatusReconciler } from './workload-status-controller.js';

export interface StartMeshControllersOptions {
  config: MeshConfig;
  log?: Logger;
  /** Shared with other controllers of the process; when given, the caller owns starting and stopping it. */
  informers?: SharedInformers;
  /** Concurrent reconciles per controller (default 4: writes wait on storage commits). */
  workers?: number;
}

/** Runs the mesh controllers until `signal` aborts; resolves once they (and informers it created) have stopped. */
export async function startMeshControllers(client: Client, signal: AbortSignal, opts: StartMeshControllersOptions): Promise<void> {
  const informers = opts.informers ?? new SharedInformers(client, { log: opts.log });
  const recorder = new EventRecorder(client, { component: 'mesh-controllers', log: opts.log });
  const o = { config: opts.config, informers, recorder, log: opts.log, workers: opts.workers ?? 4 };
  const controllers = [podDataplaneController(client, o), workloadController(client, o), workloadStatusController(client, o)];
  await Promise.all(controllers.map((c) => c.start(signal)));
  await recorder.flush();
  if (!opts.informers) await informers.stopped();
}

/** Admission for meshed Pods, the kinds only the control plane writes (Workload, DataplaneInsight) and the system-namespace-only kinds (MeshIdentity, MeshTrust). */
export function meshAdmissionPlugins(registry: Registry, config: MeshConfig): AdmissionPlugin[] {
  return [podAdmission(registry, config), controlPlaneOwnedAdmission(), systemNamespaceAdmission(config)];
}
