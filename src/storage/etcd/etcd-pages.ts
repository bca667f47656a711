// Reads a key range from etcd in pages, so no single response approaches a
// gRPC message limit however many or however large the objects are. Every
// page after the first is read at the first page's revision, so the result is
// one snapshot; if that revision is compacted away mid-read, the read starts
// over at the newest revision.

import type { IKeyValue, IRangeRequest, IRangeResponse } from 'etcd3';
import { isEtcdCompacted } from './etcd-keys.js';

/** Keys per page: 1,000 objects at etcd's 1.5 MiB request limit stay far below our receive limit. */
export const DEFAULT_PAGE_SIZE = 1000;

export type ReadPage = (req: IRangeRequest) => Promise<IRangeResponse>;

export interface PagedRange {
  kvs: IKeyValue[];
  revision: number;
  /** More keys follow the last one returned (only when `limit` stopped the read). */
  more: boolean;
}

/**
 * Every key in [key, rangeEnd), at most `limit` of them (0: all), read
 * `pageSize` keys at a time.
 */
export async function readPaged(read: ReadPage, key: Buffer, rangeEnd: Buffer, limit: number, pageSize: number): Promise<PagedRange> {
  for (;;) {
    try {
      return await readSnapshot(read, key, rangeEnd, limit, pageSize);
    } catch (err) {
      if (!isEtcdCompacted(err)) throw err;
    }
  }
}

async function readSnapshot(read: ReadPage, key: Buffer, rangeEnd: Buffer, limit: number, pageSize: number): Promise<PagedRange> {
  const want = limit > 0 ? limit : Infinity;
  const kvs: IKeyValue[] = [];
  let revision = 0;
  let start = key;
  for (;;) {
    const res = await read({ key: start, range_end: rangeEnd, limit: Math.min(pageSize, want - kvs.length), ...(revision ? { revision } : {}) });
    // Reads at a past revision still report the newest one in their header: keep the first.
    if (!revision) revision = Number(res.header.revision);
    for (const kv of res.kvs) kvs.push(kv);
    if (!res.more || res.kvs.length === 0) return { kvs, revision, more: false };
    if (kvs.length >= want) return { kvs, revision, more: true };
    start = Buffer.concat([res.kvs[res.kvs.length - 1].key, Buffer.from([0])]);
  }
}
