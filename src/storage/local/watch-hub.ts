// Fans committed changes out to in-process watchers. Each watcher owns a
// delivery queue flushed in a microtask, so callbacks never run inside a write
// or inside watch(), and replayed history and live changes reach a watcher as
// one ordered stream without gaps or repeats.

import type { WatchCallbacks, WatchEvent, WatchHandle } from '../types.js';

class LocalWatcher implements WatchHandle {
  private pending: WatchEvent[] = [];
  private progressTo = 0;
  private notified: number;
  private error?: Error;
  private scheduled = false;
  private cancelled = false;
  /** No more events may be queued (cancelled or failing). */
  done = false;

  constructor(
    readonly prefix: string,
    private queuedTo: number,
    readonly cb: WatchCallbacks,
    private readonly hub: WatchHub,
  ) {
    this.notified = queuedTo;
  }

  push(ev: WatchEvent): void {
    if (this.done || ev.kv.modRevision <= this.queuedTo) return;
    this.queuedTo = ev.kv.modRevision;
    this.pending.push(ev);
    this.schedule();
  }

  progress(revision: number): void {
    if (this.done || revision <= this.progressTo) return;
    this.progressTo = revision;
    this.schedule();
  }

  fail(err: Error): void {
    if (this.done) return;
    this.done = true;
    this.error = err;
    this.hub.remove(this);
    this.schedule();
  }

  cancel(): void {
    this.done = this.cancelled = true;
    this.pending = [];
    this.hub.remove(this);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    if (this.cancelled) return;
    if (this.pending.length > 0) {
      const events = this.pending;
      this.pending = [];
      this.notified = Math.max(this.notified, events[events.length - 1].kv.modRevision);
      this.cb.onEvents(events);
    }
    if (this.cancelled) return;
    if (this.progressTo > this.notified && this.cb.onProgress) {
      this.notified = this.progressTo;
      this.cb.onProgress(this.progressTo);
    }
    if (this.error) {
      const err = this.error;
      this.error = undefined;
      this.cancelled = true;
      this.cb.onError(err);
    }
  }
}

export class WatchHub {
  /** Watchers grouped by prefix: many watchers usually share few prefixes. */
  private groups = new Map<string, Set<LocalWatcher>>();

  /** Registers a watcher that first receives `backlog`, then live changes after `after`. */
  add(prefix: string, after: number, cb: WatchCallbacks, backlog: WatchEvent[]): WatchHandle {
    const w = new LocalWatcher(prefix, after, cb, this);
    let group = this.groups.get(prefix);
    if (!group) this.groups.set(prefix, (group = new Set()));
    group.add(w);
    for (const ev of backlog) w.push(ev);
    return w;
  }

  /** A watcher that fails before it ever starts (e.g. compacted start revision). */
  failed(prefix: string, cb: WatchCallbacks, err: Error): WatchHandle {
    const w = new LocalWatcher(prefix, 0, cb, this);
    w.fail(err);
    return w;
  }

  remove(w: LocalWatcher): void {
    const group = this.groups.get(w.prefix);
    if (group?.delete(w) && group.size === 0) this.groups.delete(w.prefix);
  }

  /** Queues committed changes (in revision order) to every matching watcher. */
  publish(events: WatchEvent[]): void {
    if (events.length === 0 || this.groups.size === 0) return;
    for (const [prefix, group] of this.groups) {
      for (const ev of events) {
        if (!ev.kv.key.startsWith(prefix)) continue;
        for (const w of group) w.push(ev);
      }
    }
  }

  /** Tells watchers that every change up to `revision` has been queued to them. */
  progress(revision: number): void {
    for (const group of this.groups.values()) {
      for (const w of group) if (w.cb.onProgress) w.progress(revision);
    }
  }

  failAll(err: Error): void {
    for (const group of [...this.groups.values()]) for (const w of [...group]) w.fail(err);
  }
}
