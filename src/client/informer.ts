// An informer keeps a local copy of one resource current: list, then watch
// from the list's resourceVersion, resuming from the last version seen when a
// watch ends. When the server says the version is too old (410) or the watch
// fails, it lists again (with backoff) and reports what changed meanwhile as
// add/update/delete, so a handler never misses a transition's end state.
// Stored objects are read-only (they may be shared with the client's cache).

import type { KObject } from '../api/object.js';
import { stderrLogger, type Logger } from './logger.js';
import { keyOf, objectKey } from './object-key.js';
import type { ResourceClient, Watch, WatchEventType } from './types.js';

export interface InformerHandler {
  onAdd?(obj: KObject): void;
  onUpdate?(oldObj: KObject, newObj: KObject): void;
  /** Gets the last state known; after a re-list that may predate the deletion. */
  onDelete?(obj: KObject): void;
}

/** Values an object is indexed under (e.g. its owners' uids). */
export type Indexer = (obj: KObject) => string[];

export interface InformerOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  indexers?: Record<string, Indexer>;
  /** List in pages of this size (0: one request). */
  pageSize?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  log?: Logger;
}

type WatchEnd = { kind: 'closed' } | { kind: 'stopped' } | { kind: 'failed'; err: Error; expired: boolean };

export class Informer {
  private readonly items = new Map<string, KObject>();
  private readonly handlers = new Set<InformerHandler>();
  private readonly indexers = new Map<string, Indexer>();
  private readonly indexes = new Map<string, Map<string, Set<string>>>();
  private syncWaiters: (() => void)[] = [];
  private synced = false;
  private started = false;
  private session = 0;
  private rv = '';
  private readonly log: Logger;

  constructor(
    readonly rc: ResourceClient,
    private readonly opts: InformerOptions = {},
  ) {
    this.log = opts.log ?? stderrLogger;
    for (const [name, fn] of Object.entries(opts.indexers ?? {})) this.addIndexer(name, fn);
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  /** The resourceVersion the next watch resumes from. */
  get lastResourceVersion(): string {
    return this.rv;
  }

  get(namespace: string | undefined, name: string): KObject | undefined {
    return this.items.get(keyOf(namespace, name));
  }

  getByKey(key: string): KObject | undefined {
    return this.items.get(key);
  }

  list(): KObject[] {
    return [...this.items.values()];
  }

  get size(): number {
    return this.items.size;
  }

  byIndex(index: string, value: string): KObject[] {
    const keys = this.indexes.get(index)?.get(value);
    if (!keys) return [];
    const out: KObject[] = [];
    for (const k of keys) out.push(this.items.get(k)!);
    return out;
  }

  addIndexer(name: string, fn: Indexer): void {
    this.indexers.set(name, fn);
    this.indexes.set(name, new Map());
    for (const [key, obj] of this.items) this.index(name, fn, key, obj, true);
  }

  /** Handlers added after the first list see the current objects as adds. Returns a remover. */
  addHandler(h: InformerHandler): () => void {
    this.handlers.add(h);
    if (this.synced) for (const obj of this.items.values()) this.call(h, 'onAdd', () => h.onAdd?.(obj));
    return () => this.handlers.delete(h);
  }

  /** Resolves true once the first list is in the store, false if `signal` aborts first. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => resolve(false);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.syncWaiters.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve(true);
      });
    });
  }

  /** Runs until `signal` aborts. */
  async start(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error(`informer for ${this.rc.gvr.resource} already started`);
    this.started = true;
    let failures = 0;
    let immediate = false;
    while (!signal.aborted) {
      if (failures > 0 && !immediate) await sleep(this.backoff(failures), signal);
      if (signal.aborted) break;
      try {
        await this.relist();
      } catch (e) {
        failures++;
        immediate = false;
        this.log.warn({ resource: this.rc.gvr.resource, err: e }, 'informer list failed');
        continue;
      }
      const started = Date.now();
      const end = await this.watchUntilFailure(signal);
      if (end.kind !== 'failed') break;
      if (Date.now() - started > 10_000) failures = 0;
      failures++;
      // A re-list right after a 410 is routine; only repeated trouble waits.
      immediate = end.expired && failures === 1;
      if (!end.expired) this.log.warn({ resource: this.rc.gvr.resource, err: end.err }, 'informer watch failed');
    }
  }

  private backoff(failures: number): number {
    const min = this.opts.minBackoffMs ?? 100;
    const max = this.opts.maxBackoffMs ?? 30_000;
    return Math.min(min * 2 ** (failures - 1), max);
  }

  private async relist(): Promise<void> {
    const { namespace, labelSelector, fieldSelector, pageSize } = this.opts;
    const listed: KObject[] = [];
    let rv: string | undefined;
    let cont: string | undefined;
    do {
      const page = await this.rc.list(namespace, { labelSelector, fieldSelector, limit: pageSize || undefined, continue: cont, readOnly: true });
      for (const o of page.items) listed.push(o);
      // Later pages are served at the first page's snapshot; resuming from it is safe either way.
      rv ??= page.resourceVersion;
      cont = page.continue;
    } while (cont);
    const seen = new Set<string>();
    for (const obj of listed) {
      const key = objectKey(obj);
      seen.add(key);
      this.upsert(key, obj);
    }
    for (const [key, old] of this.items) if (!seen.has(key)) this.remove(key, old);
    this.rv = rv ?? '';
    if (!this.synced) {
      this.synced = true;
      const waiters = this.syncWaiters;
      this.syncWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** Watches from the last version, re-opening cleanly closed watches, until one fails. */
  private async watchUntilFailure(signal: AbortSignal): Promise<WatchEnd> {
    let quickCloses = 0;
    for (;;) {
      const opened = Date.now();
      const end = await this.watchOnce(signal);
      if (end.kind !== 'closed') return end;
      // A server that closes at once, repeatedly, must not turn into a busy loop.
      quickCloses = Date.now() - opened < 1000 ? quickCloses + 1 : 0;
      if (quickCloses > 0) await sleep(this.backoff(quickCloses), signal);
      if (signal.aborted) return { kind: 'stopped' };
    }
  }

  private watchOnce(signal: AbortSignal): Promise<WatchEnd> {
    if (signal.aborted) return Promise.resolve({ kind: 'stopped' });
    const session = ++this.session;
    return new Promise<WatchEnd>((resolve) => {
      let w: Watch | undefined;
      const finish = (end: WatchEnd) => {
        if (session !== this.session) return;
        this.session++;
        signal.removeEventListener('abort', onAbort);
        resolve(end);
      };
      const onAbort = () => {
        w?.stop();
        finish({ kind: 'stopped' });
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const { namespace, labelSelector, fieldSelector } = this.opts;
      w = this.rc.watch(
        namespace,
        { resourceVersion: this.rv, allowBookmarks: true, labelSelector, fieldSelector },
        {
          onEvent: (type, obj) => {
            if (session === this.session) this.apply(type, obj);
          },
          onClose: (err) => finish(err ? { kind: 'failed', err, expired: !!err.expired } : { kind: 'closed' }),
        },
      );
      if (session !== this.session) w.stop();
    });
  }

  private apply(type: WatchEventType, obj: KObject): void {
    const rv = obj.metadata?.resourceVersion;
    if (rv) this.rv = rv;
    if (type === 'BOOKMARK') return;
    const key = objectKey(obj);
    if (type === 'DELETED') {
      const old = this.items.get(key);
      if (old) this.remove(key, obj, old);
    } else this.upsert(key, obj);
  }

  private upsert(key: string, obj: KObject): void {
    const old = this.items.get(key);
    if (old && old.metadata.resourceVersion === obj.metadata.resourceVersion) return;
    this.items.set(key, obj);
    for (const [name, fn] of this.indexers) {
      if (old) this.index(name, fn, key, old, false);
      this.index(name, fn, key, obj, true);
    }
    for (const h of this.handlers) {
      if (old) this.call(h, 'onUpdate', () => h.onUpdate?.(old, obj));
      else this.call(h, 'onAdd', () => h.onAdd?.(obj));
    }
  }

  private remove(key: string, last: KObject, stored: KObject = last): void {
    this.items.delete(key);
    for (const [name, fn] of this.indexers) this.index(name, fn, key, stored, false);
    for (const h of this.handlers) this.call(h, 'onDelete', () => h.onDelete?.(last));
  }

  private index(name: string, fn: Indexer, key: string, obj: KObject, add: boolean): void {
    const idx = this.indexes.get(name)!;
    for (const v of fn(obj)) {
      let keys = idx.get(v);
      if (add) {
        if (!keys) idx.set(v, (keys = new Set()));
        keys.add(key);
      } else if (keys) {
        keys.delete(key);
        if (keys.size === 0) idx.delete(v);
      }
    }
  }

  private call(_h: InformerHandler, what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log.error({ resource: this.rc.gvr.resource, handler: what, err: e }, 'informer handler threw');
    }
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
