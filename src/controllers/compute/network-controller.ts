// Keeps each Network's status.allocated / status.available current from the
// address allocator the workload controller hands addresses out with. The
// allocator says which networks changed; a change to a Network itself (new,
// or status edited by someone) is reconciled too.

import { networkCidr } from '../../api/compute/network.js';
import { parseCidr, usableAddresses } from '../../api/compute/cidr.js';
import { isPlainObject } from '../../api/object.js';
import { controllerFor, type Controller } from '../../client/controller.js';
import type { Logger } from '../../client/logger.js';
import { splitKey } from '../../client/object-key.js';
import type { SharedInformers } from '../../client/shared-informers.js';
import type { Client } from '../../client/types.js';
import type { IpAllocator } from './ip-allocator.js';
import { NETWORKS } from './resources.js';

export interface NetworkControllerOptions {
  informers?: SharedInformers;
  log?: Logger;
}

export function networkController(client: Client, allocator: IpAllocator, opts: NetworkControllerOptions = {}): Controller {
  const networks = client.resource(NETWORKS);
  let controller: Controller | undefined;
  const reconcile = async (key: string): Promise<void> => {
    const inf = controller!.informers.informerFor(NETWORKS);
    const n = inf.getByKey(key);
    if (!n || n.metadata.deletionTimestamp) return;
    const cidr = networkCidr(n);
    const block = parseCidr(cidr);
    const allocated = allocator.allocatedIn(key, cidr);
    const available = block ? Math.max(0, usableAddresses(block) - allocated) : 0;
    const status = isPlainObject(n.status) ? n.status : {};
    if (status.allocated === allocated && status.available === available) return;
    const { namespace } = splitKey(key);
    await networks.updateStatus(namespace, { ...n, status: { ...status, allocated, available } });
  };
  controller = controllerFor(client, { name: 'network-controller', informers: opts.informers, log: opts.log }).for(NETWORKS).complete(reconcile);
  allocator.onChange((key) => controller!.enqueue(key));
  return controller;
}
