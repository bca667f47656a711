// Group commit: writes submitted during one event-loop turn are applied as a
// single batch (for SQLite: one transaction, one fsync) on the next
// setImmediate. Under load, every request that arrived while the previous
// batch was being synced lands in the next batch, so throughput grows with
// concurrency instead of being capped by fsync latency.

import type { KeyValue } from '../types.js';
import type { WriteOp, WriteOutcome } from './engine.js';

interface Waiter {
  resolve(kv: KeyValue): void;
  reject(err: unknown): void;
}

export class GroupCommit {
  private ops: WriteOp[] = [];
  private waiters: Waiter[] = [];
  private timer?: NodeJS.Immediate;

  constructor(private readonly applyBatch: (ops: WriteOp[]) => WriteOutcome[]) {}

  submit(op: WriteOp): Promise<KeyValue> {
    return new Promise<KeyValue>((resolve, reject) => {
      this.ops.push(op);
      this.waiters.push({ resolve, reject });
      this.timer ??= setImmediate(() => this.flush());
    });
  }

  /** Applies everything queued now (also used on close so no write is lost). */
  flush(): void {
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
    if (this.ops.length === 0) return;
    const ops = this.ops;
    const waiters = this.waiters;
    this.ops = [];
    this.waiters = [];
    settle(waiters, () => this.applyBatch(ops));
  }
}

/** Resolves or rejects each waiter with its own outcome. */
export function settle(waiters: Waiter[], run: () => WriteOutcome[]): void {
  let outcomes: WriteOutcome[];
  try {
    outcomes = run();
  } catch (err) {
    for (const w of waiters) w.reject(err);
    return;
  }
  for (let i = 0; i < waiters.length; i++) {
    const o = outcomes[i];
    if (o instanceof Error) waiters[i].reject(o);
    else waiters[i].resolve(o.kv);
  }
}
