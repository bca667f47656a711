// When certificates are renewed: at 4/5 of their lifetime (spec), counted
// from issuance, so a proxy always holds a certificate with a fifth of its
// life left. The scheduler keeps one timer per proxy; timers longer than
// setTimeout allows (~24.8 days) are re-armed in steps. The clock is
// injectable so tests move time instead of waiting for it.

/** The fraction of a certificate's lifetime after which it is renewed. */
export const RENEW_AT_FRACTION = 4 / 5;
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** When a certificate issued at `issuedAt` and expiring at `notAfter` is due for renewal (ms since epoch). */
export function renewAt(issuedAt: number, notAfter: number): number {
  return issuedAt + Math.max(0, notAfter - issuedAt) * RENEW_AT_FRACTION;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export class RenewalScheduler<K> {
  private readonly timers = new Map<K, { at: number; handle: unknown }>();

  constructor(
    private readonly due: (key: K) => void,
    readonly clock: Clock = systemClock,
  ) {}

  /** (Re)schedules `key` for time `at`; replaces any earlier schedule. */
  schedule(key: K, at: number): void {
    this.cancel(key);
    this.arm(key, at);
  }

  cancel(key: K): void {
    const t = this.timers.get(key);
    if (!t) return;
    this.clock.clearTimeout(t.handle);
    this.timers.delete(key);
  }

  /** When `key` is due, if scheduled. */
  scheduledAt(key: K): number | undefined {
    return this.timers.get(key)?.at;
  }

  get size(): number {
    return this.timers.size;
  }

  cancelAll(): void {
    for (const t of this.timers.values()) this.clock.clearTimeout(t.handle);
    this.timers.clear();
  }

  private arm(key: K, at: number): void {
    const delay = Math.max(0, at - this.clock.now());
    const handle = this.clock.setTimeout(() => {
      if (this.timers.get(key)?.handle !== handle) return;
      if (this.clock.now() < at) return this.arm(key, at);
      this.timers.delete(key);
      this.due(key);
    }, Math.min(delay, MAX_TIMEOUT_MS));
    this.timers.set(key, { at, handle });
  }
}
