// Per-Workload proxy counts kept current from informer events, so one change
// costs the same whether its Workload has ten proxies or ten thousand. Each
// Dataplane's last contribution (workload, mesh, connected, healthy) is kept;
// an event subtracts it and adds the new one. Re-counting the Workload on each
// change made a burst of n proxies in one Workload cost O(n²).
// No periodic recount is needed: informers report a re-list's differences as
// add/update/delete too, and the counts are a pure function of those events.

import { meshOf } from '../../api/kuma/labels.js';
import type { KObject } from '../../api/object.js';
import type { InformerHandler } from '../../client/informer.js';
import { objectKey } from '../../client/object-key.js';
import { isProxyConnected, isProxyHealthy, type ProxyCounts } from './proxy-status.js';
import { workloadKeyOf } from './resources.js';

/** What one Dataplane adds to its Workload's counts. */
interface Contribution {
  workload: string;
  mesh: string;
  connected: boolean;
  healthy: boolean;
}

export interface WorkloadProxyCountsOptions {
  /** The cached DataplaneInsight of a Dataplane (same namespace and name). */
  insightOf: (namespace: string | undefined, name: string) => KObject | undefined;
  /** Called with a Workload key (`namespace/name`) whenever its counts change. */
  onChange?: (workloadKey: string) => void;
}

export class WorkloadProxyCounts {
  /** By Dataplane key. */
  private readonly proxies = new Map<string, Contribution>();
  /** By Workload key, then mesh: a Workload counts only the proxies of its own mesh. */
  private readonly totals = new Map<string, Map<string, ProxyCounts>>();

  /** Feed it the Dataplane informer's events. */
  readonly dataplaneHandler: InformerHandler = {
    onAdd: (dp) => this.dataplaneChanged(dp),
    onUpdate: (_, dp) => this.dataplaneChanged(dp),
    // The record is found by key: a re-list's delete may carry a stale last state.
    onDelete: (dp) => this.apply(objectKey(dp), undefined),
  };

  /** Feed it the DataplaneInsight informer's events. */
  readonly insightHandler: InformerHandler = {
    onAdd: (dpi) => this.connectedChanged(objectKey(dpi), isProxyConnected(dpi)),
    onUpdate: (_, dpi) => this.connectedChanged(objectKey(dpi), isProxyConnected(dpi)),
    onDelete: (dpi) => this.connectedChanged(objectKey(dpi), false),
  };

  constructor(private readonly opts: WorkloadProxyCountsOptions) {}

  /** The counts of Workload `workloadKey` in `mesh` (a copy; zeros when it has no proxies). */
  get(workloadKey: string, mesh: string): ProxyCounts {
    const c = this.totals.get(workloadKey)?.get(mesh);
    return c ? { ...c } : { connected: 0, healthy: 0, total: 0 };
  }

  /** Dataplanes tracked (those with a workload label). */
  get size(): number {
    return this.proxies.size;
  }

  private dataplaneChanged(dp: KObject): void {
    const workload = workloadKeyOf(dp);
    const key = objectKey(dp);
    if (!workload) return this.apply(key, undefined); // label removed, or never had one
    const insight = this.opts.insightOf(dp.metadata.namespace, dp.metadata.name!);
    this.apply(key, { workload, mesh: meshOf(dp), connected: isProxyConnected(insight), healthy: isProxyHealthy(dp) });
  }

  // An insight whose Dataplane is not cached yet is read when the Dataplane arrives.
  private connectedChanged(key: string, connected: boolean): void {
    const cur = this.proxies.get(key);
    if (cur && cur.connected !== connected) this.apply(key, { ...cur, connected });
  }

  private apply(key: string, next: Contribution | undefined): void {
    const prev = this.proxies.get(key);
    if (prev === undefined && next === undefined) return;
    if (prev && next && sameContribution(prev, next)) return;
    if (prev) this.add(prev, -1);
    if (next) {
      this.add(next, 1);
      this.proxies.set(key, next);
    } else this.proxies.delete(key);
    if (prev) this.opts.onChange?.(prev.workload);
    if (next && next.workload !== prev?.workload) this.opts.onChange?.(next.workload);
  }

  private add(c: Contribution, sign: 1 | -1): void {
    let byMesh = this.totals.get(c.workload);
    if (!byMesh) this.totals.set(c.workload, (byMesh = new Map()));
    let counts = byMesh.get(c.mesh);
    if (!counts) byMesh.set(c.mesh, (counts = { connected: 0, healthy: 0, total: 0 }));
    counts.total += sign;
    if (c.connected) counts.connected += sign;
    if (c.healthy) counts.healthy += sign;
    if (counts.total === 0) {
      byMesh.delete(c.mesh);
      if (byMesh.size === 0) this.totals.delete(c.workload);
    }
  }
}

const sameContribution = (a: Contribution, b: Contribution) =>
  a.workload === b.workload && a.mesh === b.mesh && a.connected === b.connected && a.healthy === b.healthy;
