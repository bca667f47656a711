// The garbage collector's view of ownership: for every object with
// ownerReferences, its owners; for every owner uid, its dependents. Only
// objects that have owners are recorded, so memory follows ownership, not the
// fleet, and the work for one change is proportional to its dependents.

import type { OwnerReference } from '../../api/object.js';

export interface Dependent {
  uid: string;
  /** Work-queue key locating the object (resource, namespace, name, uid). */
  key: string;
  namespace?: string;
  owners: OwnerReference[];
}

export class OwnerGraph {
  private readonly nodes = new Map<string, Dependent>();
  private readonly byOwner = new Map<string, Map<string, Dependent>>();

  get size(): number {
    return this.nodes.size;
  }

  get(uid: string): Dependent | undefined {
    return this.nodes.get(uid);
  }

  /**
   * Records an object's current owners (none: forgets it). Returns the references it
   * dropped, whose owners may have been waiting for it, and whether anything changed.
   */
  set(d: Dependent): { removed: OwnerReference[]; changed: boolean } {
    const prev = this.nodes.get(d.uid);
    const before = prev?.owners ?? [];
    const removed = before.filter((r) => !d.owners.some((n) => n.uid === r.uid));
    const changed = !prev || removed.length > 0 || d.owners.length !== before.length || d.owners.some((r, i) => !sameRef(r, before[i]));
    for (const r of removed) this.unlink(r.uid, d.uid);
    if (d.owners.length === 0) {
      this.nodes.delete(d.uid);
      return { removed, changed: !!prev };
    }
    this.nodes.set(d.uid, d);
    for (const r of d.owners) {
      let deps = this.byOwner.get(r.uid);
      if (!deps) this.byOwner.set(r.uid, (deps = new Map()));
      deps.set(d.uid, d);
    }
    return { removed, changed };
  }

  /** Forgets an object that is gone; returns what it was. */
  remove(uid: string): Dependent | undefined {
    const d = this.nodes.get(uid);
    if (!d) return undefined;
    this.nodes.delete(uid);
    for (const r of d.owners) this.unlink(r.uid, uid);
    return d;
  }

  dependentsOf(ownerUid: string): Dependent[] {
    const deps = this.byOwner.get(ownerUid);
    return deps ? [...deps.values()] : [];
  }

  /** Dependents that must be gone before a foreground deletion of the owner completes. */
  blockingDependents(ownerUid: string): Dependent[] {
    return this.dependentsOf(ownerUid).filter((d) => d.owners.some((r) => r.uid === ownerUid && r.blockOwnerDeletion));
  }

  private unlink(ownerUid: string, depUid: string): void {
    const deps = this.byOwner.get(ownerUid);
    if (!deps) return;
    deps.delete(depUid);
    if (deps.size === 0) this.byOwner.delete(ownerUid);
  }
}

const sameRef = (a: OwnerReference, b: OwnerReference | undefined) =>
  !!b && a.uid === b.uid && a.name === b.name && a.kind === b.kind && a.apiVersion === b.apiVersion && !!a.blockOwnerDeletion === !!b.blockOwnerDeletion && !!a.controller === !!b.controller;
