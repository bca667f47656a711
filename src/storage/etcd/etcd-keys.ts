// Maps store keys to etcd keys under an optional namespace prefix (so several
// stores, e.g. tests, can share one etcd) and etcd key-values back to ours,
// and recognises the etcd errors the store turns into its own.

import type { IKeyValue } from 'etcd3';
import type { KeyValue } from '../types.js';

/** etcd refuses empty keys; "\0" is the smallest key there is. */
const LOWEST_KEY = Buffer.from([0]);

export class KeyCodec {
  private readonly prefixBytes: number;

  constructor(private readonly prefix = '') {
    this.prefixBytes = Buffer.byteLength(prefix);
  }

  encode(key: string): Buffer {
    return Buffer.from(this.prefix + key);
  }

  decode(key: Buffer): string {
    return key.toString('utf8', this.prefixBytes);
  }

  /** The first etcd key of "every key starting with `prefix`" (never empty). */
  rangeStart(prefix: string): Buffer {
    const b = this.encode(prefix);
    return b.length ? b : LOWEST_KEY;
  }

  /** etcd's range_end for "every key starting with `prefix`". */
  rangeEnd(prefix: string): Buffer {
    const b = this.encode(prefix);
    for (let i = b.length - 1; i >= 0; i--) {
      if (b[i] < 0xff) {
        const end = b.subarray(0, i + 1);
        end[i]++;
        return end;
      }
    }
    return Buffer.from([0]); // "\0" means: to the end of the keyspace
  }

  toKv(kv: IKeyValue): KeyValue {
    return {
      key: this.decode(kv.key),
      value: kv.value.toString(),
      createRevision: Number(kv.create_revision),
      modRevision: Number(kv.mod_revision),
    };
  }
}

/** Whether an etcd error says the requested revision was compacted away. */
export function isEtcdCompacted(err: unknown): boolean {
  return err instanceof Error && err.message.includes('required revision has been compacted');
}

/**
 * Whether etcd refused a request for its size: over --max-request-bytes
 * ("request is too large"), or over its gRPC receive limit (that plus 512 KiB),
 * which its gRPC server reports before etcd sees the request.
 */
export function isEtcdTooLarge(err: unknown): boolean {
  return err instanceof Error && /etcdserver: request is too large|grpc: received message larger than max/.test(err.message);
}
