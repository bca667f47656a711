// Garbage collection driven by metadata.ownerReferences, across every served
// resource. Dependents whose owners are all gone are deleted (background);
// owners deleted with `foregroundDeletion` wait until their blocking
// dependents are gone; owners deleted with `orphan` release their dependents
// first. An owner the informers have not seen is verified with a live GET
// before anything is deleted on its account.

import { isNotFound, type ApiError } from '../../api/errors.js';
import type { KObject, OwnerReference } from '../../api/object.js';
import { Controller } from '../../client/controller.js';
import type { Informer, InformerHandler } from '../../client/informer.js';
import type { Logger } from '../../client/logger.js';
import { SharedInformers } from '../../client/shared-informers.js';
import type { Client, GroupVersionResource, ResourceClient } from '../../client/types.js';
import { OwnerGraph } from './owner-graph.js';

export const FOREGROUND = 'foregroundDeletion';
export const ORPHAN = 'orphan';

export interface GarbageCollectorOptions {
  informers?: SharedInformers;
  log?: Logger;
  workers?: number;
  /** Resources never collected nor watched (default: events). */
  ignored?: GroupVersionResource[];
  /** Subscribes to changes of the served resources (CRDs), so their objects are collected too. */
  resourcesChanged?: (listener: () => void) => () => void;
}

type OwnerState = 'solid' | 'dangling' | 'waiting';

const gvrKey = (g: GroupVersionResource) => `${g.group}/${g.version}/${g.resource}`;
const deleting = (o: KObject) => !!o.metadata.deletionTimestamp;
const hasFinalizer = (o: KObject, f: string) => (o.metadata.finalizers ?? []).includes(f);
const ABSENT_CACHE = 10_000;

export class GarbageCollector {
  readonly graph = new OwnerGraph();
  readonly controller: Controller;
  private readonly informers: SharedInformers;
  private readonly byGvr = new Map<string, Informer>();
  /** Owner uids verified gone: a uid never comes back, so this only needs bounding. */
  private readonly absent = new Map<string, true>();

  constructor(
    private readonly client: Client,
    private readonly opts: GarbageCollectorOptions = {},
  ) {
    this.informers = opts.informers ?? new SharedInformers(client, { log: opts.log });
    this.controller = new Controller({ name: 'garbage-collector', workers: opts.workers ?? 4, log: opts.log }, (key) => this.reconcile(key), this.informers);
  }

  /** Watches every served resource (as served now) and collects until `signal` aborts. */
  start(signal: AbortSignal): Promise<void> {
    this.watchServed();
    const off = this.opts.resourcesChanged?.(() => this.watchServed());
    if (off) signal.addEventListener('abort', off, { once: true });
    return this.controller.start(signal);
  }

  /** Watches every served resource not watched yet (new ones start at once when running). */
  watchServed(): void {
    const ignored = new Set((this.opts.ignored ?? [{ group: '', version: 'v1', resource: 'events' }, { group: 'events.k8s.io', version: 'v1', resource: 'events' }]).map(gvrKey));
    for (const rc of this.client.resources()) {
      if (ignored.has(gvrKey(rc.gvr)) || this.byGvr.has(gvrKey(rc.gvr))) continue;
      const inf = this.informers.forResource(rc);
      this.byGvr.set(gvrKey(rc.gvr), inf);
      this.controller.watchWith(inf, this.handler(rc));
    }
  }

  private keyOf(rc: ResourceClient, ns: string | undefined, name: string, uid: string): string {
    return `${gvrKey(rc.gvr)}|${ns ?? ''}|${name}|${uid}`;
  }

  private handler(rc: ResourceClient): InformerHandler {
    const observe = (obj: KObject) => {
      const { uid, namespace, name } = obj.metadata;
      if (!uid) return;
      const key = this.keyOf(rc, namespace, name!, uid);
      const owners = obj.metadata.ownerReferences ?? [];
      if (owners.length || this.graph.get(uid)) {
        const { removed, changed } = this.graph.set({ uid, key, namespace, owners });
        for (const r of removed) this.wakeWaitingOwner(r, namespace);
        if (owners.length && (changed || owners.some((r) => this.cachedOwnerState(r, namespace) !== 'solid'))) this.controller.enqueue(key);
      }
      if (deleting(obj) && (hasFinalizer(obj, ORPHAN) || hasFinalizer(obj, FOREGROUND))) this.controller.enqueue(key);
    };
    const forget = (obj: KObject) => {
      const uid = obj.metadata.uid;
      if (!uid) return;
      const gone = this.graph.remove(uid);
      for (const r of gone?.owners ?? []) this.wakeWaitingOwner(r, obj.metadata.namespace);
      for (const d of this.graph.dependentsOf(uid)) this.controller.enqueue(d.key);
    };
    return {
      onAdd: observe,
      onUpdate: (old, obj) => {
        // After a re-list, a deleted and recreated object arrives as one update.
        if (old.metadata.uid !== obj.metadata.uid) forget(old);
        observe(obj);
      },
      onDelete: forget,
    };
  }

  /** A dependent left: an owner in foreground deletion may be done waiting. */
  private wakeWaitingOwner(r: OwnerReference, depNs: string | undefined): void {
    const rc = this.client.forKind(r.apiVersion, r.kind);
    if (!rc || this.cachedOwnerState(r, depNs) !== 'waiting') return;
    this.controller.enqueue(this.keyOf(rc, rc.namespaced ? depNs : undefined, r.name, r.uid));
  }

  private ownerInformer(r: OwnerReference, depNs: string | undefined): { rc: ResourceClient; ns?: string; inf?: Informer } | undefined {
    const rc = this.client.forKind(r.apiVersion, r.kind);
    // Unknown kinds and cluster-scoped dependents of namespaced owners cannot be resolved: never collected.
    if (!rc || (rc.namespaced && !depNs)) return undefined;
    return { rc, ns: rc.namespaced ? depNs : undefined, inf: this.byGvr.get(gvrKey(rc.gvr)) };
  }

  /** The owner's state as the informers see it ('solid' when it cannot be resolved). */
  private cachedOwnerState(r: OwnerReference, depNs: string | undefined): OwnerState | 'unseen' {
    const o = this.ownerInformer(r, depNs);
    if (!o) return 'solid';
    if (this.absent.has(r.uid)) return 'dangling';
    const owner = o.inf?.get(o.ns, r.name);
    if (!owner || owner.metadata.uid !== r.uid) return 'unseen';
    return deleting(owner) && hasFinalizer(owner, FOREGROUND) ? 'waiting' : 'solid';
  }

  /** Like cachedOwnerState, but an owner the informers lack is looked up live. */
  private async ownerState(r: OwnerReference, depNs: string | undefined): Promise<OwnerState> {
    const cached = this.cachedOwnerState(r, depNs);
    if (cached !== 'unseen') return cached;
    const o = this.ownerInformer(r, depNs)!;
    const live = await o.rc.get(o.ns, r.name);
    if (live && live.metadata.uid === r.uid) return deleting(live) && hasFinalizer(live, FOREGROUND) ? 'waiting' : 'solid';
    this.absent.set(r.uid, true);
    if (this.absent.size > ABSENT_CACHE) this.absent.delete(this.absent.keys().next().value!);
    return 'dangling';
  }

  async reconcile(key: string): Promise<void> {
    const [gvr, ns, name, uid] = key.split('|');
    const inf = this.byGvr.get(gvr);
    if (!inf) return;
    const namespace = ns || undefined;
    const obj = inf.get(namespace, name);
    if (!obj || obj.metadata.uid !== uid) return;
    if (deleting(obj) && hasFinalizer(obj, ORPHAN)) {
      await this.orphanDependents(uid);
      await this.removeFinalizer(inf.rc, namespace, name, uid, ORPHAN);
      return;
    }
    if (deleting(obj) && hasFinalizer(obj, FOREGROUND)) {
      for (const d of this.graph.dependentsOf(uid)) this.controller.enqueue(d.key);
      if (this.graph.blockingDependents(uid).length === 0) await this.removeFinalizer(inf.rc, namespace, name, uid, FOREGROUND);
      return;
    }
    if (obj.metadata.ownerReferences?.length) await this.collect(inf.rc, obj);
  }

  /** Deletes a dependent whose owners are all gone (or waiting on it); drops references to gone owners. */
  private async collect(rc: ResourceClient, cached: KObject): Promise<void> {
    const { namespace: ns, name, uid } = cached.metadata;
    if ((cached.metadata.ownerReferences ?? []).every((r) => this.cachedOwnerState(r, ns) === 'solid')) return;
    // Decide on the latest version: the informer may be behind a change to the references.
    const live = await rc.get(ns, name!);
    if (!live || live.metadata.uid !== uid) return;
    const refs = live.metadata.ownerReferences ?? [];
    const state = new Map<string, OwnerState>();
    for (const r of refs) state.set(r.uid, await this.ownerState(r, ns));
    const of = (s: OwnerState) => refs.filter((r) => state.get(r.uid) === s);
    if (of('dangling').length === 0 && of('waiting').length === 0) return;
    if (of('solid').length > 0) {
      const keep = of('solid');
      await rc.update(ns, { ...live, metadata: { ...live.metadata, ownerReferences: keep } });
      return;
    }
    if (deleting(live)) return;
    // Owners waiting on a dependent that has dependents itself: delete it in the foreground too.
    const policy = of('waiting').length > 0 && this.graph.dependentsOf(uid!).length > 0 ? 'Foreground' : 'Background';
    try {
      await rc.delete(ns, name!, { propagationPolicy: policy, preconditions: { uid } });
    } catch (e) {
      const code = (e as ApiError).code;
      if (code !== 404 && code !== 409) throw e;
    }
  }

  private async orphanDependents(ownerUid: string): Promise<void> {
    for (const d of this.graph.dependentsOf(ownerUid)) {
      const [gvr, ns, name, uid] = d.key.split('|');
      const rc = this.byGvr.get(gvr)?.rc;
      if (!rc) continue;
      const live = await rc.get(ns || undefined, name);
      const refs = live?.metadata.ownerReferences ?? [];
      if (!live || live.metadata.uid !== uid || !refs.some((r) => r.uid === ownerUid)) continue;
      try {
        await rc.update(ns || undefined, { ...live, metadata: { ...live.metadata, ownerReferences: refs.filter((r) => r.uid !== ownerUid) } });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }

  private async removeFinalizer(rc: ResourceClient, ns: string | undefined, name: string, uid: string, finalizer: string): Promise<void> {
    const live = await rc.get(ns, name);
    if (!live || live.metadata.uid !== uid || !hasFinalizer(live, finalizer)) return;
    try {
      await rc.update(ns, { ...live, metadata: { ...live.metadata, finalizers: live.metadata.finalizers!.filter((f) => f !== finalizer) } });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
