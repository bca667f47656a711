// Shares live lists between the panels of the page. The API server speaks
// HTTP/1.1, where a browser keeps at most six connections per host and every
// open watch holds one, so the page must watch only what it shows, each list
// once: panels subscribe by path, the first subscriber starts the ListWatch,
// the last one leaving stops it (after a moment, so a view that is replaced by
// one showing the same list keeps its stream).

import type { ApiClient } from './api-client.js';
import { ListWatch, type ListWatchOptions, type WatchSnapshot } from './list-watch.js';

interface Entry {
  watch: ListWatch;
  listeners: Set<() => void>;
  stopTimer?: ReturnType<typeof setTimeout>;
  notifyTimer?: ReturnType<typeof setTimeout>;
}

export interface WatchHubOptions extends Pick<ListWatchOptions, 'timeoutSeconds' | 'retryMs'> {
  /** How long an unused list keeps its stream open. */
  lingerMs?: number;
  /** Changes arriving within this window reach listeners once (a burst of events renders once). */
  coalesceMs?: number;
}

export class WatchHub {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly api: ApiClient,
    private readonly opts: WatchHubOptions = {},
  ) {}

  static key(path: string, query?: Record<string, string>): string {
    return query && Object.keys(query).length ? `${path}?${new URLSearchParams(query)}` : path;
  }

  /** Subscribes to the live list at `path`; returns the unsubscribe function. */
  subscribe(path: string, query: Record<string, string> | undefined, listener: () => void): () => void {
    const key = WatchHub.key(path, query);
    let e = this.entries.get(key);
    if (!e) {
      const entry: Entry = { listeners: new Set(), watch: undefined as unknown as ListWatch };
      entry.watch = new ListWatch(this.api, path, () => this.notify(entry), { query, timeoutSeconds: this.opts.timeoutSeconds ?? 300, retryMs: this.opts.retryMs });
      this.entries.set(key, entry);
      e = entry;
    }
    const entry = e;
    if (entry.stopTimer) clearTimeout(entry.stopTimer);
    entry.stopTimer = undefined;
    entry.listeners.add(listener);
    entry.watch.start();
    return () => {
      entry.listeners.delete(listener);
      if (entry.listeners.size > 0) return;
      entry.stopTimer = setTimeout(() => {
        if (entry.listeners.size > 0) return;
        entry.watch.stop();
        if (entry.notifyTimer) clearTimeout(entry.notifyTimer);
        this.entries.delete(key);
      }, this.opts.lingerMs ?? 50);
    };
  }

  snapshot(path: string, query?: Record<string, string>): WatchSnapshot | undefined {
    return this.entries.get(WatchHub.key(path, query))?.watch.snapshot();
  }

  /** Starts a stopped list again (after "not permitted", once the user was granted access). */
  retry(path: string, query?: Record<string, string>): void {
    this.entries.get(WatchHub.key(path, query))?.watch.start();
  }

  /** Paths with an open loop, for tests and the footer. */
  active(): string[] {
    return [...this.entries.entries()].filter(([, e]) => e.watch.running).map(([k]) => k);
  }

  close(): void {
    for (const e of this.entries.values()) {
      e.watch.stop();
      if (e.stopTimer) clearTimeout(e.stopTimer);
      if (e.notifyTimer) clearTimeout(e.notifyTimer);
    }
    this.entries.clear();
  }

  private notify(e: Entry): void {
    if (e.notifyTimer) return;
    e.notifyTimer = setTimeout(() => {
      e.notifyTimer = undefined;
      for (const l of [...e.listeners]) l();
    }, this.opts.coalesceMs ?? 16);
  }
}
