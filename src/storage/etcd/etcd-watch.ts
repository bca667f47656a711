// Multiplexes store watches over one etcd watch stream. We drive the raw gRPC
// stream (not etcd3's Watcher) to see what the wrapper hides: the compacted
// revision on cancellation, fragments, and progress notices. Watch ids are
// chosen here, so responses map to watchers without relying on arrival order,
// and after a broken stream every watcher resumes from its next revision.

import type { Etcd3, IEvent, IWatchRequest, IWatchResponse } from 'etcd3';
import {
  CompactedError,
  StorageError,
  type WatchCallbacks,
  type WatchEvent,
  type WatchHandle,
} from '../types.js';
import type { KeyCodec } from './etcd-keys.js';

type WatchDuplex = Awaited<ReturnType<Etcd3['watchClient']['watch']>>;

interface EtcdWatcher {
  id: string;
  prefix: string;
  /** The first revision not yet delivered (where a re-created watch starts). */
  nextRev: number;
  cb: WatchCallbacks;
  /** Events of a response etcd split into fragments, awaiting the last one. */
  partial: IEvent[];
}

const MAX_BACKOFF_MS = 5000;

export class EtcdWatchStream {
  private readonly watchers = new Map<string, EtcdWatcher>();
  private stream?: WatchDuplex;
  private connecting = false;
  private closed = false;
  private nextId = 1;
  private backoffMs = 100;

  constructor(
    private readonly client: Etcd3,
    private readonly codec: KeyCodec,
  ) {}

  watch(prefix: string, afterRevision: number, cb: WatchCallbacks): WatchHandle {
    const w: EtcdWatcher = { id: String(this.nextId++), prefix, nextRev: afterRevision + 1, cb, partial: [] };
    this.watchers.set(w.id, w);
    if (this.stream) this.create(this.stream, w);
    else this.connect();
    return { cancel: () => this.cancel(w) };
  }

  /** Asks etcd to tell every (caught-up) watcher the current revision. */
  requestProgress(): void {
    if (!this.stream || ![...this.watchers.values()].some((w) => w.cb.onProgress)) return;
    this.stream.write({ progress_request: {} } satisfies IWatchRequest);
  }

  /** Ends every watch with `err` and tears the stream down. */
  close(err: Error): void {
    this.closed = true;
    for (const w of [...this.watchers.values()]) this.fail(w, err);
    this.stream?.cancel();
    this.stream = undefined;
  }

  private cancel(w: EtcdWatcher): void {
    if (!this.watchers.delete(w.id)) return;
    this.stream?.write({ cancel_request: { watch_id: w.id } } satisfies IWatchRequest);
  }

  private fail(w: EtcdWatcher, err: Error): void {
    if (this.watchers.delete(w.id)) w.cb.onError(err);
  }

  private create(stream: WatchDuplex, w: EtcdWatcher): void {
    const req: IWatchRequest = {
      create_request: {
        key: this.codec.encode(w.prefix),
        range_end: this.codec.rangeEnd(w.prefix),
        start_revision: w.nextRev,
        prev_kv: true,
        progress_notify: w.cb.onProgress !== undefined,
        fragment: true,
        watch_id: w.id,
      } as NonNullable<IWatchRequest['create_request']>,
    };
    stream.write(req);
  }

  private connect(): void {
    if (this.connecting || this.closed) return;
    this.connecting = true;
    this.client.watchClient.watch().then(
      (stream) => {
        this.connecting = false;
        if (this.closed) return stream.cancel();
        this.stream = stream;
        stream.on('data', (res: IWatchResponse) => this.stream === stream && this.onResponse(res));
        stream.on('error', () => this.onBroken(stream));
        stream.on('end', () => this.onBroken(stream));
        for (const w of this.watchers.values()) this.create(stream, w);
      },
      () => {
        this.connecting = false;
        this.retryLater();
      },
    );
  }

  private onBroken(stream: WatchDuplex): void {
    if (this.stream !== stream) return;
    this.stream = undefined;
    stream.cancel();
    for (const w of this.watchers.values()) w.partial = [];
    this.retryLater();
  }

  private retryLater(): void {
    if (this.closed || this.watchers.size === 0) return;
    setTimeout(() => this.connect(), this.backoffMs).unref();
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
  }

  private onResponse(res: IWatchResponse): void {
    this.backoffMs = 100;
    const w = this.watchers.get(String(res.watch_id));
    if (!w) {
      // A reply to requestProgress() speaks for every watcher on the stream.
      if (String(res.watch_id) === '-1' && res.events.length === 0) this.broadcastProgress(Number(res.header.revision));
      return;
    }
    if (res.canceled) {
      const compacted = Number(res.compact_revision);
      const err = compacted > 0 ? new CompactedError(w.nextRev - 1, compacted) : new StorageError(`watch canceled: ${res.cancel_reason}`);
      return this.fail(w, err);
    }
    if (res.created) return;
    if (res.events.length > 0) {
      w.partial.push(...res.events);
      if (res.fragment) return;
      const events = w.partial.map((ev) => this.toEvent(ev));
      w.partial = [];
      w.nextRev = events[events.length - 1].kv.modRevision + 1;
      w.cb.onEvents(events);
    } else if (!res.fragment) {
      this.progress(w, Number(res.header.revision));
    }
  }

  private broadcastProgress(revision: number): void {
    for (const w of [...this.watchers.values()]) if (w.partial.length === 0) this.progress(w, revision);
  }

  private progress(w: EtcdWatcher, revision: number): void {
    if (revision < w.nextRev) return;
    w.nextRev = revision + 1;
    w.cb.onProgress?.(revision);
  }

  private toEvent(ev: IEvent): WatchEvent {
    const prev = ev.prev_kv ? this.codec.toKv(ev.prev_kv) : undefined;
    if (ev.type === 'Put') return { type: 'put', kv: this.codec.toKv(ev.kv), prev };
    const key = this.codec.decode(ev.kv.key);
    const before = prev ?? { key, value: '', createRevision: 0, modRevision: 0 };
    return { type: 'delete', kv: { ...before, modRevision: Number(ev.kv.mod_revision) }, prev: before };
  }
}
