// The scheduler's queue of units (a pod, or a whole gang). New work goes to the
// active queue at once. A unit that found no room is parked; a cluster change
// that may make room (node added or freed up, pod gone) moves every parked
// unit back, each after its own exponential backoff, coalesced so a burst of
// changes costs one pass. A periodic flush catches changes no event reports.

import { WorkQueue } from '../client/work-queue.js';

export interface SchedulingQueueOptions {
  /** First retry delay of a unit that did not fit (kube: 1s). */
  initialBackoffMs?: number;
  /** Ceiling of that delay (kube: 10s). */
  maxBackoffMs?: number;
  /** Parked units are retried after this long even without a cluster change (kube: 5 min). */
  flushIntervalMs?: number;
}

export class SchedulingQueue {
  private readonly active = new WorkQueue<string>();
  /** Parked unit → when it last failed. */
  private readonly parked = new Map<string, number>();
  private readonly failures = new Map<string, number>();
  private movePending = false;
  private flushTimer?: NodeJS.Timeout;
  private readonly initial: number;
  private readonly max: number;
  private readonly flushMs: number;

  constructor(opts: SchedulingQueueOptions = {}) {
    this.initial = opts.initialBackoffMs ?? 1000;
    this.max = opts.maxBackoffMs ?? 10_000;
    this.flushMs = opts.flushIntervalMs ?? 300_000;
  }

  get length(): number {
    return this.active.length;
  }

  get parkedCount(): number {
    return this.parked.size;
  }

  /** New or changed work: schedule now. */
  add(unit: string): void {
    this.parked.delete(unit);
    this.active.add(unit);
  }

  /** Try again after `ms` (a wait measured in time, not a failure). */
  addAfter(unit: string, ms: number): void {
    this.active.addAfter(unit, ms);
  }

  get(): Promise<string | undefined> {
    return this.active.get();
  }

  done(unit: string): void {
    this.active.done(unit);
  }

  /** The unit did not fit: wait for a cluster change. */
  park(unit: string): void {
    this.failures.set(unit, (this.failures.get(unit) ?? 0) + 1);
    this.parked.set(unit, Date.now());
  }

  /** The unit is placed, waiting on something else, or gone: start its backoff afresh. */
  forget(unit: string): void {
    this.failures.delete(unit);
    this.parked.delete(unit);
  }

  /** An error unrelated to fit (a failed write): retry with backoff. */
  retry(unit: string): void {
    const n = (this.failures.get(unit) ?? 0) + 1;
    this.failures.set(unit, n);
    this.active.addAfter(unit, this.backoff(n));
  }

  backoff(failures: number): number {
    return Math.min(this.initial * 2 ** Math.max(0, failures - 1), this.max);
  }

  /** Something changed that may let parked units fit; moves them on the next turn. */
  clusterChanged(): void {
    if (this.movePending || this.parked.size === 0) return;
    this.movePending = true;
    setImmediate(() => {
      this.movePending = false;
      this.moveParked(0);
    });
  }

  /** Moves parked units that failed at least `olderThanMs` ago, each after the rest of its backoff. */
  private moveParked(olderThanMs: number): void {
    const now = Date.now();
    for (const [unit, at] of this.parked) {
      if (now - at < olderThanMs) continue;
      this.parked.delete(unit);
      const wait = this.backoff(this.failures.get(unit) ?? 1) - (now - at);
      if (wait > 0) this.active.addAfter(unit, wait);
      else this.active.add(unit);
    }
  }

  start(): void {
    if (this.flushMs > 0 && !this.flushTimer) {
      this.flushTimer = setInterval(() => this.moveParked(this.flushMs), Math.min(this.flushMs, 30_000));
      this.flushTimer.unref();
    }
  }

  shutDown(): void {
    if (this.flushTimer) clearInterval(this.flushTimer);
    this.flushTimer = undefined;
    this.active.shutDown();
  }
}
