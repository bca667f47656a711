// Which meshes each Workload key (`namespace/workload`) has Dataplanes in, kept
// current from Dataplane informer events so Workload generation never walks a
// Workload's Dataplanes. Each Dataplane's last (workload, mesh) is kept; an
// event subtracts it and adds the new one. Only a change to a key's set of
// meshes is reported: that set is all generation decides on, so a burst of n
// proxies joining one Workload costs O(n) in total, not O(n²).
// Re-lists need no recount: informers report their differences as events.

import { meshOf } from '../../api/kuma/labels.js';
import type { KObject } from '../../api/object.js';
import type { InformerHandler } from '../../client/informer.js';
import { objectKey } from '../../client/object-key.js';
import { workloadKeyOf } from './resources.js';

/** Where one Dataplane counts. */
interface Ref {
  workload: string;
  mesh: string;
}

const NONE: ReadonlyMap<string, number> = new Map();

export interface WorkloadMeshesOptions {
  /** Called with a Workload key whenever its set of meshes changes (a mesh appears or disappears). */
  onChange?: (workloadKey: string) => void;
}

export class WorkloadMeshes {
  /** By Dataplane key. */
  private readonly refs = new Map<string, Ref>();
  /** By Workload key: mesh → Dataplanes in it (never zero). */
  private readonly byWorkload = new Map<string, Map<string, number>>();

  /** Feed it the Dataplane informer's events. */
  readonly dataplaneHandler: InformerHandler = {
    onAdd: (dp) => this.dataplaneChanged(dp),
    onUpdate: (_, dp) => this.dataplaneChanged(dp),
    // Found by key: a re-list's delete may carry a stale last state.
    onDelete: (dp) => this.apply(objectKey(dp), undefined),
  };

  constructor(private readonly opts: WorkloadMeshesOptions = {}) {}

  /** Mesh → number of Dataplanes referencing Workload `workloadKey` (read-only; empty when none). */
  meshes(workloadKey: string): ReadonlyMap<string, number> {
    return this.byWorkload.get(workloadKey) ?? NONE;
  }

  /** Dataplanes tracked (those with a workload label). */
  get size(): number {
    return this.refs.size;
  }

  private dataplaneChanged(dp: KObject): void {
    const workload = workloadKeyOf(dp);
    this.apply(objectKey(dp), workload ? { workload, mesh: meshOf(dp) } : undefined);
  }

  private apply(key: string, next: Ref | undefined): void {
    const prev = this.refs.get(key);
    if (prev === undefined && next === undefined) return;
    if (prev && next && prev.workload === next.workload && prev.mesh === next.mesh) return;
    if (next) this.refs.set(key, next);
    else this.refs.delete(key);
    // Add before subtracting: a move between meshes of one Workload reports once.
    const added = next ? this.add(next, 1) : false;
    const removed = prev ? this.add(prev, -1) : false;
    if (prev && removed) this.opts.onChange?.(prev.workload);
    if (next && added && !(removed && prev?.workload === next.workload)) this.opts.onChange?.(next.workload);
  }

  /** Returns true when the Workload's set of meshes changed. */
  private add(r: Ref, sign: 1 | -1): boolean {
    let byMesh = this.byWorkload.get(r.workload);
    if (!byMesh) this.byWorkload.set(r.workload, (byMesh = new Map()));
    const n = (byMesh.get(r.mesh) ?? 0) + sign;
    if (n > 0) byMesh.set(r.mesh, n);
    else {
      byMesh.delete(r.mesh);
      if (byMesh.size === 0) this.byWorkload.delete(r.workload);
    }
    return n === 0 || (sign === 1 && n === 1);
  }
}
