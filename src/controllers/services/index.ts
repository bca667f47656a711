// Services: cluster IP and node port allocation (an admission plugin on the
// API server), the endpoints and endpointslice controllers that keep a
// Service's backends from the ready pods it selects, and the `kubernetes`
// Service bootstrap.

import type { Logger } from '../../client/logger.js';
import { SharedInformers } from '../../client/shared-informers.js';
import type { Client } from '../../client/types.js';
import type { AdmissionPlugin } from '../../registry/admission.js';
import type { Registry } from '../../registry/registry.js';
import { endpointSliceController } from './endpoint-slice-controller.js';
import { endpointsController } from './endpoints-controller.js';
import { ServiceAllocator, serviceAllocationAdmission } from './service-allocation.js';

export { ServiceAllocator, serviceAllocationAdmission } from './service-allocation.js';
export { endpointsController, EndpointsReconciler } from './endpoints-controller.js';
export { endpointSliceController, EndpointSliceReconciler, MAX_ENDPOINTS_PER_SLICE } from './endpoint-slice-controller.js';
export { ensureKubernetesService } from './kubernetes-service.js';
export * from './service-ranges.js';
export * from './service-pods.js';
export * from './resources.js';

export function serviceAdmissionPlugins(registry: Registry, allocator: ServiceAllocator): AdmissionPlugin[] {
  return [serviceAllocationAdmission(registry, allocator)];
}

export async function startServiceControllers(client: Client, signal: AbortSignal, opts: { log?: Logger; informers?: SharedInformers } = {}): Promise<void> {
  if (!client.forKind('v1', 'Service')) return;
  const informers = opts.informers ?? new SharedInformers(client, { log: opts.log });
  const runs: Promise<void>[] = [];
  if (client.forKind('v1', 'Endpoints')) runs.push(endpointsController(client, { informers, log: opts.log }).start(signal));
  if (client.forKind('discovery.k8s.io/v1', 'EndpointSlice')) runs.push(endpointSliceController(client, { informers, log: opts.log }).start(signal));
  await Promise.all(runs);
  if (!opts.informers) await informers.stopped();
}
