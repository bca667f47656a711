// The etcd backend: each Store call is one etcd request (ranges: one per
// page). Conditional writes are transactions comparing create/mod revisions,
// whose failure branch reads the key so the caller learns the current value in
// the same round trip.

import { type Etcd3, type ICompare, type IRangeResponse, type IResponseHeader, type ITxnRequest, type ITxnResponse } from 'etcd3';
import {
  KeyExistsError,
  KeyNotFoundError,
  RevisionMismatchError,
  StorageError,
  StoreClosedError,
  ValueTooLargeError,
  type KeyValue,
  type RangeOptions,
  type RangeResult,
  type Store,
  type WatchCallbacks,
  type WatchHandle,
} from '../types.js';
import { createEtcdClient } from './etcd-client.js';
import { KeyCodec, isEtcdCompacted, isEtcdTooLarge } from './etcd-keys.js';
import { DEFAULT_PAGE_SIZE, readPaged } from './etcd-pages.js';
import { EtcdWatchStream } from './etcd-watch.js';

export interface EtcdStoreOptions {
  endpoints: string[];
  /** Every key is stored under this prefix (invisible to callers). */
  prefix?: string;
  /** Keys per range request (default 1,000). */
  pageSize?: number;
}

export async function openEtcdStore(opts: EtcdStoreOptions): Promise<Store> {
  const store = new EtcdStore(createEtcdClient(opts.endpoints), opts.prefix ?? '', opts.pageSize);
  try {
    await store.currentRevision();
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

const revisionOf = (h: IResponseHeader): number => Number(h.revision);
const EXISTS = { target: 'Version', result: 'Greater', version: 0 } as const;

export class EtcdStore implements Store {
  readonly name = 'etcd';
  private readonly codec: KeyCodec;
  private readonly watches: EtcdWatchStream;
  private compactedAtLeast = 0;
  private closed = false;

  constructor(
    private readonly client: Etcd3,
    prefix: string,
    private readonly pageSize = DEFAULT_PAGE_SIZE,
  ) {
    this.codec = new KeyCodec(prefix);
    this.watches = new EtcdWatchStream(client, this.codec);
  }

  private get kv() {
    if (this.closed) throw new StoreClosedError();
    return this.client.kv;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const res = await this.kv.range({ key: this.codec.encode(key) });
    return res.kvs.length ? this.codec.toKv(res.kvs[0]) : undefined;
  }

  async range(prefix: string, opts: RangeOptions = {}): Promise<RangeResult> {
    let start = this.codec.rangeStart(prefix);
    const end = this.codec.rangeEnd(prefix);
    if (opts.startAfter !== undefined) {
      const after = Buffer.concat([this.codec.encode(opts.startAfter), Buffer.from([0])]);
      if (Buffer.compare(after, start) > 0) start = after;
    }
    const kvClient = this.kv;
    const res = await readPaged((req) => kvClient.range(req), start, end, opts.limit ?? 0, this.pageSize);
    return { items: res.kvs.map((kv) => this.codec.toKv(kv)), revision: res.revision, more: res.more };
  }

  async count(prefix: string): Promise<number> {
    const res = await this.kv.range({ key: this.codec.rangeStart(prefix), range_end: this.codec.rangeEnd(prefix), count_only: true });
    return Number(res.count);
  }

  async create(key: string, value: string): Promise<KeyValue> {
    const k = this.codec.encode(key);
    const res = await this.write(key, value, {
      compare: [{ key: k, target: 'Create', result: 'Equal', create_revision: 0 }],
      success: [{ request_put: { key: k, value: Buffer.from(value) } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!res.succeeded) throw new KeyExistsError(key, this.firstKv(res.responses[0].response_range));
    const rev = revisionOf(res.header);
    return { key, value, createRevision: rev, modRevision: rev };
  }

  async update(key: string, value: string, expectedRevision: number): Promise<KeyValue> {
    const k = this.codec.encode(key);
    const res = await this.write(key, value, {
      compare: [
        { key: k, ...EXISTS },
        { key: k, target: 'Mod', result: 'Equal', mod_revision: expectedRevision },
      ],
      success: [{ request_put: { key: k, value: Buffer.from(value), prev_kv: true } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!res.succeeded) this.throwConflict(key, res.responses[0].response_range);
    const prev = res.responses[0].response_put.prev_kv;
    return { key, value, createRevision: Number(prev.create_revision), modRevision: revisionOf(res.header) };
  }

  async delete(key: string, expectedRevision?: number): Promise<KeyValue> {
    const k = this.codec.encode(key);
    const compare: ICompare[] = [{ key: k, ...EXISTS }];
    if (expectedRevision !== undefined) compare.push({ key: k, target: 'Mod', result: 'Equal', mod_revision: expectedRevision });
    const res = await this.kv.txn({
      compare,
      success: [{ request_delete_range: { key: k, prev_kv: true } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!res.succeeded) this.throwConflict(key, res.responses[0].response_range);
    const prev = this.codec.toKv(res.responses[0].response_delete_range.prev_kvs[0]);
    return { ...prev, modRevision: revisionOf(res.header) };
  }

  watch(prefix: string, afterRevision: number, cb: WatchCallbacks): WatchHandle {
    if (this.closed) {
      queueMicrotask(() => cb.onError(new StoreClosedError()));
      return { cancel() {} };
    }
    return this.watches.watch(prefix, afterRevision, cb);
  }

  async compact(revision: number): Promise<void> {
    try {
      await this.kv.compact({ revision, physical: true });
    } catch (err) {
      if (err instanceof Error && err.message.includes('future revision')) throw new StorageError(err.message);
      if (!isEtcdCompacted(err)) throw err;
    }
    this.compactedAtLeast = Math.max(this.compactedAtLeast, revision);
  }

  async currentRevision(): Promise<number> {
    // Any read reports the store's revision in its header; a point read costs least.
    const res = await this.kv.range({ key: this.codec.rangeStart(''), count_only: true });
    // The caller is likely about to wait for its watchers to reach this revision.
    this.watches.requestProgress();
    return revisionOf(res.header);
  }

  /** etcd does not report its compaction point, but reads below it fail, so
   * binary-search for the oldest readable revision (a handful of requests). */
  async compactedRevision(): Promise<number> {
    let unreadable = Math.max(this.compactedAtLeast - 1, 0);
    let readable = await this.currentRevision();
    if (readable <= unreadable) return this.compactedAtLeast;
    while (readable - unreadable > 1) {
      const mid = Math.floor((unreadable + readable) / 2);
      if (await this.readableAt(mid)) readable = mid;
      else unreadable = mid;
    }
    // Revision 1 being readable means nothing was compacted (as far as we can tell).
    this.compactedAtLeast = Math.max(this.compactedAtLeast, readable > 1 ? readable : 0);
    return this.compactedAtLeast;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.watches.close(new StoreClosedError());
    this.client.close();
  }

  private async readableAt(revision: number): Promise<boolean> {
    try {
      await this.kv.range({ key: this.codec.rangeStart(''), count_only: true, revision });
      return true;
    } catch (err) {
      if (isEtcdCompacted(err)) return false;
      throw err;
    }
  }

  /** A write transaction; etcd refusing it for its size becomes ValueTooLargeError. */
  private async write(key: string, value: string, txn: ITxnRequest): Promise<ITxnResponse> {
    try {
      return await this.kv.txn(txn);
    } catch (err) {
      if (!isEtcdTooLarge(err)) throw err;
      const why = `${(err as Error).message}; raise etcd's --max-request-bytes (etcd's default is 1.5 MiB) to store objects this large`;
      throw new ValueTooLargeError(key, Buffer.byteLength(value), why);
    }
  }

  private firstKv(range: IRangeResponse): KeyValue {
    if (!range.kvs.length) throw new StorageError('etcd transaction failed without a conflicting key');
    return this.codec.toKv(range.kvs[0]);
  }

  private throwConflict(key: string, range: IRangeResponse): never {
    if (!range.kvs.length) throw new KeyNotFoundError(key);
    throw new RevisionMismatchError(key, this.codec.toKv(range.kvs[0]));
  }
}
