// Workload status, event-driven: a change to a Dataplane, its
// DataplaneInsight or the Workload re-counts that one Workload's proxies
// (through the BY_WORKLOAD index, so the work is proportional to the
// workload, not the fleet) and writes status only when the counts changed.
// Kuma recounts every 5 s; here a health flip shows within milliseconds.

import { isNotFound } from '../../api/errors.js';
import { meshOf } from '../../api/kuma/labels.js';
import { isPlainObject, type KObject } from '../../api/object.js';
import { controllerFor, type Controller } from '../../client/controller.js';
import type { Informer } from '../../client/informer.js';
import { splitKey } from '../../client/object-key.js';
import { SharedInformers } from '../../client/shared-informers.js';
import type { Client, ResourceClient } from '../../client/types.js';
import type { MeshControllerOptions } from './options.js';
import { countProxies, type ProxyCounts } from './proxy-status.js';
import { BY_WORKLOAD, DATAPLANE_INSIGHTS, DATAPLANES, WORKLOADS, dataplaneInformer, workloadKeyOf } from './resources.js';

export function workloadStatusController(client: Client, opts: MeshControllerOptions): Controller {
  const informers = opts.informers ?? new SharedInformers(client, { log: opts.log });
  const dataplanes = dataplaneInformer(informers);
  const insights = informers.informerFor(DATAPLANE_INSIGHTS);
  const r = new WorkloadStatusReconciler(dataplanes, insights, informers.informerFor(WORKLOADS), client.resource(WORKLOADS));
  return (
    controllerFor(client, { name: 'workload-status-controller', informers, workers: opts.workers, log: opts.log })
      .for(WORKLOADS)
      .watches(DATAPLANES, workloadKeyOf)
      // An insight belongs to the Dataplane of the same name; one not (yet) cached is counted when the Dataplane arrives.
      .watches(DATAPLANE_INSIGHTS, (dpi) => {
        const dp = dataplanes.get(dpi.metadata.namespace, dpi.metadata.name!);
        return dp && workloadKeyOf(dp);
      })
      .complete(r)
  );
}

export class WorkloadStatusReconciler {
  constructor(
    private readonly dataplanes: Informer,
    private readonly insights: Informer,
    private readonly workloads: Informer,
    private readonly writer: ResourceClient,
  ) {}

  /** Proxies of Workload `key`: its namespace's Dataplanes with its workload label, in its mesh. */
  counts(key: string, mesh: string): ProxyCounts {
    const { namespace } = splitKey(key);
    const refs = this.dataplanes.byIndex(BY_WORKLOAD, key).filter((dp) => meshOf(dp) === mesh);
    return countProxies(refs, (dp) => this.insights.get(namespace, dp.metadata.name!));
  }

  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const w = this.workloads.get(namespace, name);
    if (!w || w.metadata.deletionTimestamp) return;
    const want = this.counts(key, meshOf(w));
    if (sameCounts(w, want)) return;
    try {
      await this.writer.patch(namespace, name, 'merge', { status: { dataplaneProxies: want } }, { subresource: 'status' });
    } catch (e) {
      if (!isNotFound(e)) throw e; // deleted meanwhile
    }
  }
}

function sameCounts(w: KObject, want: ProxyCounts): boolean {
  const status = isPlainObject(w.status) ? w.status : {};
  const have = isPlainObject(status.dataplaneProxies) ? status.dataplaneProxies : {};
  return have.connected === want.connected && have.healthy === want.healthy && have.total === want.total;
}
