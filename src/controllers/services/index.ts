// Services: cluster IP and node port allocation (an admission plugin on the
// API server, recording each address in storage), its repair, the endpoints and endpointslice controllers that keep a
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
import { runAddressRepair } from './address-repair.js';

export { ServiceAllocator, serviceAllocationAdmission, addressesOf } from './service-allocation.js';
export { StoredAddressBook, nodePortRecordDefinition, type AddressBook, type AddressRecord, type ServiceRef } from './address-book.js';
export { AddressRepair, runAddressRepair } from './address-repair.js';
export { endpointsController, EndpointsReconciler } from './endpoints-controller.js';
export { endpointSliceController, EndpointSliceReconciler, MAX_ENDPOINTS_PER_SLICE } from './endpoint-slice-controller.js';
export { ensureKubernetesService } from './kubernetes-service.js';
export * from './service-ranges.js';
export * from './service-pods.js';
export * from './resources.js';

export function serviceAdmissionPlugins(registry: Registry, allocator: ServiceAllocator): AdmissionPlugin[] {
  return [serviceAllocationAdmission(registry, allocator)];
}

/**
 * Runs the endpoints and endpointslice controllers, and with `allocator` (inside the
 * API server, which owns the address records) the address repair.
 */
export async function startServiceControllers(client: Client, signal: AbortSignal, opts: { log?: Logger; informers?: SharedInformers; allocator?: ServiceAllocator } = {}): Promise<void> {
  if (!client.forKind('v1', 'Service')) return;
  const informers = opts.informers ?? new SharedInformers(client, { log: opts.log });
  const runs: Promise<void>[] = [];
  if (opts.allocator) runs.push(runAddressRepair(client, opts.allocator, signal, { informers, log: opts.log }));
  if (client.forKind('v1', 'Endpoints')) runs.push(endpointsController(client, { informers, log: opts.log }).start(signal));
  if (client.forKind('discovery.k8s.io/v1', 'EndpointSlice')) runs.push(endpointSliceController(client, { informers, log: opts.log }).start(signal));
  await Promise.all(runs);
  if (!opts.informers) await informers.stopped();
}
export { ensureDefaultServiceCIDR } from './default-service-cidr.js';
