// One informer per resource for every controller in a process, so the
// garbage collector, the namespace controller and the rest share one list and
// one watch per resource instead of each opening their own.

import { Informer, type Indexer } from './informer.js';
import { stderrLogger, type Logger } from './logger.js';
import type { Client, GroupVersionResource, ResourceClient } from './types.js';

const gvrKey = (g: GroupVersionResource) => `${g.group}/${g.version}/${g.resource}`;

export class SharedInformers {
  private readonly informers = new Map<string, Informer>();
  private readonly running: Promise<void>[] = [];
  private signal?: AbortSignal;
  private readonly log: Logger;

  constructor(
    readonly client: Client,
    opts: { log?: Logger } = {},
  ) {
    this.log = opts.log ?? stderrLogger;
  }

  /** The cluster-wide informer of a resource; started at once if the set already runs. */
  informerFor(gvr: GroupVersionResource, indexers?: Record<string, Indexer>): Informer {
    return this.forResource(this.client.resource(gvr), indexers);
  }

  forResource(rc: ResourceClient, indexers?: Record<string, Indexer>): Informer {
    const key = gvrKey(rc.gvr);
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new Informer(rc, { log: this.log });
      this.informers.set(key, inf);
      if (this.signal) this.run(inf, this.signal);
    }
    for (const [name, fn] of Object.entries(indexers ?? {})) inf.addIndexer(name, fn);
    return inf;
  }

  all(): Informer[] {
    return [...this.informers.values()];
  }

  /** Starts every informer, now and as they are added, until `signal` aborts. Idempotent. */
  start(signal: AbortSignal): void {
    if (this.signal) return;
    this.signal = signal;
    for (const inf of this.informers.values()) this.run(inf, signal);
  }

  private run(inf: Informer, signal: AbortSignal): void {
    this.running.push(inf.start(signal));
  }

  /** True once the given informers (default: all) have listed, false if `signal` aborts first. */
  async waitForSync(signal?: AbortSignal, informers: Informer[] = this.all()): Promise<boolean> {
    const r = await Promise.all(informers.map((i) => i.waitForSync(signal)));
    return r.every(Boolean);
  }

  /** Resolves once every started informer has returned (after the signal aborted). */
  async stopped(): Promise<void> {
    await Promise.all(this.running);
  }
}
