// The watch cache: one storage watch feeds an in-memory copy of every object
// and a bounded per-resource history, so list and watch never hit storage per
// request. Watches older than the retained history fall back to a storage watch
// (or fail with 410 Expired once storage has compacted them).

import type { KObject } from '../api/object.js';
import { type Store, type WatchEvent, type WatchHandle, isCompacted } from '../storage/types.js';
import { REGISTRY_PREFIX, bucketOf } from './keys.js';
import { SharedEncodings } from './shared-encoding.js';

export type CacheEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface CachedObject {
  key: string;
  obj: KObject;
  rev: number;
}

export interface CacheEvent {
  type: CacheEventType;
  key: string;
  obj: KObject;
  prev?: KObject;
  rev: number;
  /** Set while a live event is dispatched: its encodings, shared by every watcher it goes to. */
  shared?: SharedEncodings;
}

export interface CacheWatcher {
  prefix: string;
  onEvents(events: CacheEvent[]): void;
  onError(err: Error): void;
}

interface Bucket {
  objects: Map<string, CachedObject>;
  sorted: string[] | null;
  history: CacheEvent[];
  /** Every event with rev > oldest is in history. */
  oldest: number;
  watchers: Set<CacheWatcher>;
}

export class TooOldError extends Error {
  constructor(readonly requested: number, readonly oldest: number) {
    super(`too old resource version: ${requested} (${oldest})`);
  }
}

export function decodeObject(value: string, rev: number): KObject {
  const obj = JSON.parse(value) as KObject;
  obj.metadata.resourceVersion = String(rev);
  return obj;
}

export class WatchCache {
  revision = 0;
  private buckets = new Map<string, Bucket>();
  private handle?: WatchHandle;
  private waiters: { rev: number; resolve: () => void }[] = [];
  private startRevision = 0;
  private failed?: Error;

  constructor(
    private readonly store: Store,
    private readonly historyPerResource = 20000,
  ) {}

  async start(): Promise<void> {
    const res = await this.store.range(REGISTRY_PREFIX);
    for (const kv of res.items) {
      const b = this.bucket(bucketOf(kv.key));
      b.objects.set(kv.key, { key: kv.key, obj: decodeObject(kv.value, kv.modRevision), rev: kv.modRevision });
    }
    this.revision = this.startRevision = res.revision;
    for (const b of this.buckets.values()) b.oldest = res.revision;
    this.handle = this.store.watch(REGISTRY_PREFIX, res.revision, {
      onEvents: (evs) => this.apply(evs),
      onError: (err) => {
        this.failed = err;
        for (const b of this.buckets.values()) for (const w of b.watchers) w.onError(err);
      },
      onProgress: (rev) => this.advance(rev),
    });
  }

  stop(): void {
    this.handle?.cancel();
    for (const b of this.buckets.values()) for (const w of b.watchers) w.onError(new Error('watch cache stopped'));
  }

  private bucket(prefix: string): Bucket {
    let b = this.buckets.get(prefix);
    if (!b) {
      // A bucket that did not exist has seen no event since the cache started.
      b = { objects: new Map(), sorted: null, history: [], oldest: this.startRevision, watchers: new Set() };
      this.buckets.set(prefix, b);
    }
    return b;
  }

  private apply(evs: WatchEvent[]): void {
    const byBucket = new Map<Bucket, CacheEvent[]>();
    for (const ev of evs) {
      const b = this.bucket(bucketOf(ev.kv.key));
      const existing = b.objects.get(ev.kv.key);
      let ce: CacheEvent;
      if (ev.type === 'put') {
        const obj = decodeObject(ev.kv.value, ev.kv.modRevision);
        ce = { type: existing ? 'MODIFIED' : 'ADDED', key: ev.kv.key, obj, prev: existing?.obj, rev: ev.kv.modRevision, shared: undefined };
        if (!existing) b.sorted = null;
        b.objects.set(ev.kv.key, { key: ev.kv.key, obj, rev: ev.kv.modRevision });
      } else {
        const obj = existing?.obj ? { ...existing.obj, metadata: { ...existing.obj.metadata } } : decodeObject(ev.prev.value, ev.kv.modRevision);
        obj.metadata.resourceVersion = String(ev.kv.modRevision);
        ce = { type: 'DELETED', key: ev.kv.key, obj, prev: existing?.obj, rev: ev.kv.modRevision, shared: undefined };
        b.objects.delete(ev.kv.key);
        b.sorted = null;
      }
      b.history.push(ce);
      // Trimmed in steps of a quarter, so the cost per event stays constant (splicing one
      // off the front each time would move the whole history on every event).
      if (b.history.length > this.historyPerResource + (this.historyPerResource >> 2)) {
        const drop = b.history.length - this.historyPerResource;
        b.oldest = b.history[drop - 1].rev;
        b.history.splice(0, drop);
      }
      let list = byBucket.get(b);
      if (!list) byBucket.set(b, (list = []));
      list.push(ce);
    }
    if (evs.length) this.advance(evs[evs.length - 1].kv.modRevision);
    for (const [b, list] of byBucket) {
      if (b.watchers.size === 0) continue;
      for (const ce of list) ce.shared = new SharedEncodings();
      for (const w of b.watchers) dispatch(w, list);
      // Encodings are for this dispatch only: history keeps objects, not their bytes.
      for (const ce of list) ce.shared = undefined;
    }
  }

  private advance(rev: number): void {
    if (rev <= this.revision) return;
    this.revision = rev;
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.rev <= rev);
    this.waiters = this.waiters.filter((w) => w.rev > rev);
    for (const w of ready) w.resolve();
  }

  /** Resolves once the cache has seen every write up to `rev`. */
  waitFor(rev: number): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (rev <= this.revision) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ rev, resolve }));
  }

  /** Waits until the cache is as fresh as storage (a consistent read). */
  async sync(): Promise<void> {
    await this.waitFor(await this.store.currentRevision());
  }

  get(key: string): CachedObject | undefined {
    return this.buckets.get(bucketOf(key))?.objects.get(key);
  }

  /** Objects under `prefix` in key order, starting after `startAfter`. */
  list(prefix: string, startAfter?: string): CachedObject[] {
    const b = this.buckets.get(bucketOf(prefix));
    if (!b) return [];
    if (!b.sorted) b.sorted = [...b.objects.keys()].sort();
    const keys = b.sorted;
    let i = 0;
    const from = startAfter && startAfter > prefix ? startAfter : prefix;
    // Binary search for the first key >= from.
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid] < from) lo = mid + 1;
      else hi = mid;
    }
    i = lo;
    const out: CachedObject[] = [];
    for (; i < keys.length; i++) {
      const k = keys[i];
      if (!k.startsWith(prefix)) break;
      if (startAfter && k === startAfter) continue;
      out.push(b.objects.get(k)!);
    }
    return out;
  }

  /** Number of objects in a resource bucket (for metrics). */
  size(prefix: string): number {
    return this.buckets.get(bucketOf(prefix))?.objects.size ?? 0;
  }

  /**
   * Streams events under `prefix` with rev > `afterRev`. Replays retained history
   * first, then live events, without gaps or duplicates.
   */
  watch(prefix: string, afterRev: number, w: Omit<CacheWatcher, 'prefix'>): { cancel(): void; revision(): number } {
    const watcher: CacheWatcher = { prefix, ...w };
    const b = this.bucket(bucketOf(prefix));
    if (afterRev < b.oldest) return this.watchFromStorage(prefix, afterRev, watcher);
    const replay: CacheEvent[] = [];
    for (let i = lowerBound(b.history, afterRev); i < b.history.length; i++) replay.push(b.history[i]);
    // Replay synchronously so no live event can overtake it; callers must be ready to receive.
    if (replay.length) dispatch(watcher, replay);
    b.watchers.add(watcher);
    // Every event up to the cache's revision has been dispatched synchronously.
    return { cancel: () => b.watchers.delete(watcher), revision: () => this.revision };
  }

  private watchFromStorage(prefix: string, afterRev: number, w: CacheWatcher): { cancel(): void; revision(): number } {
    let handle: WatchHandle | undefined;
    let cancelled = false;
    // Bookmarks may only claim what this replay has delivered, not the cache's revision.
    let delivered = afterRev;
    const prevs = new Map<string, KObject>();
    handle = this.store.watch(prefix, afterRev, {
      onEvents: (evs) => {
        if (cancelled) return;
        const out: CacheEvent[] = evs.map((ev) => {
          if (ev.type === 'put') {
            const obj = decodeObject(ev.kv.value, ev.kv.modRevision);
            const prev = ev.prev ? decodeObject(ev.prev.value, ev.prev.modRevision) : undefined;
            prevs.set(ev.kv.key, obj);
            return { type: ev.kv.createRevision === ev.kv.modRevision ? 'ADDED' : 'MODIFIED', key: ev.kv.key, obj, prev, rev: ev.kv.modRevision };
          }
          const obj = decodeObject(ev.prev.value, ev.kv.modRevision);
          prevs.delete(ev.kv.key);
          return { type: 'DELETED', key: ev.kv.key, obj, prev: obj, rev: ev.kv.modRevision };
        });
        if (out.length) delivered = out[out.length - 1].rev;
        dispatch(w, out);
      },
      onError: (err) => {
        if (cancelled) return;
        w.onError(isCompacted(err) ? new TooOldError(afterRev, err.compacted) : err);
      },
      onProgress: (rev) => {
        if (rev > delivered) delivered = rev;
      },
    });
    return {
      revision: () => delivered,
      cancel: () => {
        cancelled = true;
        handle?.cancel();
      },
    };
  }
}

function dispatch(w: CacheWatcher, events: CacheEvent[]): void {
  const mine = events.filter((e) => e.key.startsWith(w.prefix));
  if (mine.length) w.onEvents(mine);
}

function lowerBound(history: CacheEvent[], afterRev: number): number {
  let lo = 0;
  let hi = history.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (history[mid].rev <= afterRev) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
