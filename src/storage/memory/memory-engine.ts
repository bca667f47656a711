// The in-memory engine: a map of current values, a sorted key index for
// prefix ranges, and the change log as an array of events (compaction drops its
// head). Nothing survives the process; used by tests and `--storage memory`.

import type { Engine, EngineRange, WriteOp, WriteOutcome } from '../local/engine.js';
import {
  KeyExistsError,
  KeyNotFoundError,
  RevisionMismatchError,
  type KeyValue,
  type WatchEvent,
} from '../types.js';

export class MemoryEngine implements Engine {
  private readonly data = new Map<string, KeyValue>();
  /** Every live key in ascending order (binary-searched for ranges). */
  private readonly keys: string[] = [];
  private log: WatchEvent[] = [];
  private rev = 0;
  private compactedRev = 0;

  get(key: string): KeyValue | undefined {
    return this.data.get(key);
  }

  range(prefix: string, limit: number, startAfter: string | undefined): EngineRange {
    const items: KeyValue[] = [];
    let i = startAfter !== undefined && startAfter >= prefix ? this.upperBound(startAfter) : this.lowerBound(prefix);
    for (; i < this.keys.length && this.keys[i].startsWith(prefix); i++) {
      if (limit > 0 && items.length === limit) return { items, more: true };
      items.push(this.data.get(this.keys[i])!);
    }
    return { items, more: false };
  }

  count(prefix: string): number {
    let n = 0;
    for (let i = this.lowerBound(prefix); i < this.keys.length && this.keys[i].startsWith(prefix); i++) n++;
    return n;
  }

  revision(): number {
    return this.rev;
  }

  compacted(): number {
    return this.compactedRev;
  }

  apply(ops: WriteOp[]): WriteOutcome[] {
    return ops.map((op) => {
      const ev = this.applyOne(op);
      if (!(ev instanceof Error)) this.log.push(ev);
      return ev;
    });
  }

  private applyOne(op: WriteOp): WriteOutcome {
    const cur = this.data.get(op.key);
    if (op.kind === 'create') {
      if (cur) return new KeyExistsError(op.key, cur);
      const rev = ++this.rev;
      const kv: KeyValue = { key: op.key, value: op.value, createRevision: rev, modRevision: rev };
      this.data.set(op.key, kv);
      this.keys.splice(this.lowerBound(op.key), 0, op.key);
      return { type: 'put', kv };
    }
    if (!cur) return new KeyNotFoundError(op.key);
    if (op.expected !== undefined && op.expected !== cur.modRevision) return new RevisionMismatchError(op.key, cur);
    const rev = ++this.rev;
    if (op.kind === 'update') {
      const kv: KeyValue = { key: op.key, value: op.value, createRevision: cur.createRevision, modRevision: rev };
      this.data.set(op.key, kv);
      return { type: 'put', kv, prev: cur };
    }
    this.data.delete(op.key);
    this.keys.splice(this.lowerBound(op.key), 1);
    return { type: 'delete', kv: { ...cur, modRevision: rev }, prev: cur };
  }

  history(prefix: string, after: number): WatchEvent[] {
    // Log entries have consecutive revisions, so the start is an index computation.
    const start = this.log.length - (this.rev - after);
    const out: WatchEvent[] = [];
    for (let i = Math.max(0, start); i < this.log.length; i++) {
      if (this.log[i].kv.key.startsWith(prefix)) out.push(this.log[i]);
    }
    return out;
  }

  compact(revision: number): void {
    const drop = this.log.length - (this.rev - revision);
    if (drop > 0) this.log = this.log.slice(drop);
    this.compactedRev = revision;
  }

  close(): void {
    this.data.clear();
    this.keys.length = 0;
    this.log = [];
  }

  /** Index of the first key >= `key`. */
  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first key > `key`. */
  private upperBound(key: string): number {
    const i = this.lowerBound(key);
    return i < this.keys.length && this.keys[i] === key ? i + 1 : i;
  }
}
