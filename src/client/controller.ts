// A small controller runner in the spirit of controller-runtime: informers
// feed keys into a work queue; N workers call a level-based `reconcile(key)`.
// Throwing retries the key with per-key backoff, a TerminalError does not,
// `requeueAfter` is for waiting on time. Built like a sentence:
//   controllerFor(client, { name: 'x' }).for(NAMESPACES).owns(PODS).complete(r)

import { isConflict } from '../api/errors.js';
import type { KObject } from '../api/object.js';
import type { Informer, InformerHandler } from './informer.js';
import { stderrLogger, type Logger } from './logger.js';
import { keyOf, objectKey } from './object-key.js';
import { SharedInformers } from './shared-informers.js';
import type { Client, GroupVersionResource } from './types.js';
import { WorkQueue, type WorkQueueOptions } from './work-queue.js';

/** A failure retrying cannot fix (bad input): logged, never retried. */
export class TerminalError extends Error {}

export interface ReconcileResult {
  /** Reconcile this key again after this many milliseconds (time-based waits only). */
  requeueAfter?: number;
}

export type ReconcileFn = (key: string) => Promise<ReconcileResult | void> | ReconcileResult | void;
export interface Reconciler {
  reconcile: ReconcileFn;
}

/** Which keys a change to `obj` should reconcile. */
export type MapFn = (obj: KObject) => Iterable<string> | string | undefined;

export interface ControllerOptions {
  name: string;
  /** Concurrent reconciles (never of the same key). Default 1. */
  workers?: number;
  /** Share informers with other controllers of the process. */
  informers?: SharedInformers;
  queue?: WorkQueueOptions;
  log?: Logger;
}

export function controllerFor(client: Client, opts: ControllerOptions): ControllerBuilder {
  return new ControllerBuilder(client, opts);
}

export class ControllerBuilder {
  private readonly watched: { gvr: GroupVersionResource; map: MapFn }[] = [];
  private primary?: GroupVersionResource;

  constructor(
    private readonly client: Client,
    private readonly opts: ControllerOptions,
  ) {}

  /** The reconciled kind: a change to an object reconciles that object's key. */
  for(gvr: GroupVersionResource): this {
    this.primary = gvr;
    return this.watches(gvr, objectKey);
  }

  /** Objects controlled by the `for` kind: a change reconciles their controller's key. */
  owns(gvr: GroupVersionResource): this {
    if (!this.primary) throw new Error('owns() needs for() first');
    const owner = this.client.resource(this.primary);
    const group = this.primary.group;
    return this.watches(gvr, (obj) => {
      const ref = obj.metadata.ownerReferences?.find((r) => r.controller && r.kind === owner.kind && groupOf(r.apiVersion) === group);
      return ref ? keyOf(owner.namespaced ? obj.metadata.namespace : undefined, ref.name) : undefined;
    });
  }

  watches(gvr: GroupVersionResource, map: MapFn): this {
    this.watched.push({ gvr, map });
    return this;
  }

  complete(r: Reconciler | ReconcileFn): Controller {
    const fn = typeof r === 'function' ? r : r.reconcile.bind(r);
    const informers = this.opts.informers ?? new SharedInformers(this.client, { log: this.opts.log });
    const c = new Controller(this.opts, fn, informers);
    for (const w of this.watched) c.watch(informers.informerFor(w.gvr), w.map);
    return c;
  }
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

export class Controller {
  readonly name: string;
  readonly queue: WorkQueue<string>;
  private readonly watched: Informer[] = [];
  private readonly log: Logger;

  constructor(
    private readonly opts: ControllerOptions,
    private readonly reconcileFn: ReconcileFn,
    readonly informers: SharedInformers,
  ) {
    this.name = opts.name;
    this.queue = new WorkQueue(opts.queue);
    this.log = opts.log ?? stderrLogger;
  }

  /** Enqueues map(obj) for every change an informer reports. */
  watch(inf: Informer, map: MapFn): void {
    const enqueue = (obj: KObject) => {
      const keys = map(obj);
      if (keys === undefined) return;
      if (typeof keys === 'string') this.queue.add(keys);
      else for (const k of keys) this.queue.add(k);
    };
    this.watchWith(inf, {
      onAdd: enqueue,
      onUpdate: (oldObj, newObj) => {
        enqueue(oldObj);
        enqueue(newObj);
      },
      onDelete: enqueue,
    });
  }

  /** For controllers that keep state per event (the garbage collector's graph): workers wait for `inf` to sync. */
  watchWith(inf: Informer, h: InformerHandler): void {
    this.watched.push(inf);
    inf.addHandler(h);
  }

  enqueue(key: string): void {
    this.queue.add(key);
  }

  /** Runs until `signal` aborts; resolves after the in-flight reconciles finish. */
  async start(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const stop = () => this.queue.shutDown();
    signal.addEventListener('abort', stop, { once: true });
    this.informers.start(signal);
    if (await this.informers.waitForSync(signal, this.watched)) {
      const workers: Promise<void>[] = [];
      for (let i = 0; i < (this.opts.workers ?? 1); i++) workers.push(this.worker());
      await Promise.all(workers);
    }
    signal.removeEventListener('abort', stop);
  }

  private async worker(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      try {
        await this.process(key);
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async process(key: string): Promise<void> {
    try {
      const r = await this.reconcileFn(key);
      this.queue.forget(key);
      if (r && r.requeueAfter !== undefined && r.requeueAfter >= 0) this.queue.addAfter(key, r.requeueAfter);
    } catch (e) {
      if (e instanceof TerminalError) {
        this.queue.forget(key);
        this.log.error({ controller: this.name, key, err: e }, 'reconcile failed terminally');
        return;
      }
      // Lost races are routine for level-based reconcilers: retry quietly.
      if (isConflict(e)) this.log.debug({ controller: this.name, key, err: e }, 'reconcile conflict, retrying');
      else this.log.warn({ controller: this.name, key, err: e, retries: this.queue.numRequeues(key) }, 'reconcile failed, retrying');
      this.queue.addRateLimited(key);
    }
  }
}
