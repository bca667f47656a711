// A `Store` for engines that live in this process (memory, sqlite): adds the
// promise API, optional group commit, watch fan-out and progress notices on
// top of a synchronous Engine. Because engine calls never interleave, a watch
// can read its backlog and go live in one step with no gap and no duplicate.

import {
  CompactedError,
  StorageError,
  StoreClosedError,
  type KeyValue,
  type RangeOptions,
  type RangeResult,
  type Store,
  type WatchCallbacks,
  type WatchEvent,
  type WatchHandle,
} from '../types.js';
import type { Engine, WriteOp, WriteOutcome } from './engine.js';
import { GroupCommit, settle } from './group-commit.js';
import { WatchHub } from './watch-hub.js';

export interface LocalStoreOptions {
  name: string;
  /** Batch writes of one event-loop turn into one engine call (one fsync). */
  groupCommit: boolean;
  /** How often idle watchers get onProgress; 0 disables the timer. */
  progressIntervalMs?: number;
}

export class LocalStore implements Store {
  readonly name: string;
  private readonly hub = new WatchHub();
  private readonly batcher?: GroupCommit;
  private readonly ticker?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly engine: Engine,
    opts: LocalStoreOptions,
  ) {
    this.name = opts.name;
    if (opts.groupCommit) this.batcher = new GroupCommit((ops) => this.applyAndPublish(ops));
    const every = opts.progressIntervalMs ?? 5000;
    if (every > 0) {
      this.ticker = setInterval(() => this.hub.progress(this.engine.revision()), every);
      this.ticker.unref();
    }
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.assertOpen();
    return this.engine.get(key);
  }

  async range(prefix: string, opts: RangeOptions = {}): Promise<RangeResult> {
    this.assertOpen();
    const { items, more } = this.engine.range(prefix, opts.limit ?? 0, opts.startAfter);
    return { items, more, revision: this.engine.revision() };
  }

  async count(prefix: string): Promise<number> {
    this.assertOpen();
    return this.engine.count(prefix);
  }

  create(key: string, value: string): Promise<KeyValue> {
    return this.write({ kind: 'create', key, value });
  }

  update(key: string, value: string, expectedRevision: number): Promise<KeyValue> {
    return this.write({ kind: 'update', key, value, expected: expectedRevision });
  }

  delete(key: string, expectedRevision?: number): Promise<KeyValue> {
    return this.write({ kind: 'delete', key, expected: expectedRevision });
  }

  watch(prefix: string, afterRevision: number, cb: WatchCallbacks): WatchHandle {
    if (this.closed) return this.hub.failed(prefix, cb, new StoreClosedError());
    const compacted = this.engine.compacted();
    if (afterRevision < compacted) return this.hub.failed(prefix, cb, new CompactedError(afterRevision, compacted));
    let backlog: WatchEvent[] = [];
    try {
      if (afterRevision < this.engine.revision()) backlog = this.engine.history(prefix, afterRevision);
    } catch (err) {
      return this.hub.failed(prefix, cb, err as Error);
    }
    return this.hub.add(prefix, afterRevision, cb, backlog);
  }

  async compact(revision: number): Promise<void> {
    this.assertOpen();
    if (revision > this.engine.revision()) {
      throw new StorageError(`cannot compact to ${revision}: the store is at ${this.engine.revision()}`);
    }
    if (revision <= this.engine.compacted()) return;
    this.engine.compact(revision);
  }

  async currentRevision(): Promise<number> {
    this.assertOpen();
    const rev = this.engine.revision();
    // Whoever asks is about to wait for watchers to reach `rev`; tell them now
    // rather than on the next tick, since writes outside their prefix send nothing.
    this.hub.progress(rev);
    return rev;
  }

  async compactedRevision(): Promise<number> {
    this.assertOpen();
    return this.engine.compacted();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.batcher?.flush();
    this.closed = true;
    if (this.ticker) clearInterval(this.ticker);
    this.hub.failAll(new StoreClosedError());
    this.engine.close();
  }

  private write(op: WriteOp): Promise<KeyValue> {
    if (this.closed) return Promise.reject(new StoreClosedError());
    if (this.batcher) return this.batcher.submit(op);
    return new Promise((resolve, reject) => settle([{ resolve, reject }], () => this.applyAndPublish([op])));
  }

  private applyAndPublish(ops: WriteOp[]): WriteOutcome[] {
    const outcomes = this.engine.apply(ops);
    const events: WatchEvent[] = [];
    for (const o of outcomes) if (!(o instanceof Error)) events.push(o);
    this.hub.publish(events);
    return outcomes;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }
}
