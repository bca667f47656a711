// Calls `beat(name)` for every name once per period, spread evenly over the
// period (names are dealt into slots, one slot per tick), with a cap on calls
// in flight. Thousands of nodes heartbeating on one timer then cost a steady
// trickle of writes instead of a burst every period; a beat still running
// when its turn comes again is skipped rather than piled up.

import type { Logger } from '../client/logger.js';

export interface StaggeredTickerOptions {
  periodMs: number;
  /** Tick length (default 1 s, never more than the period). */
  tickMs?: number;
  /** Beats in flight at most (default 32). */
  concurrency?: number;
  names: () => readonly string[];
  beat: (name: string) => Promise<void>;
  log: Logger;
  what: string;
}

export class StaggeredTicker {
  private timer?: NodeJS.Timeout;
  private tick = 0;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly busy = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Failures since the last tick: logged once per tick, not once per name (an API outage would flood). */
  private failures = 0;
  private lastError?: unknown;

  constructor(private readonly o: StaggeredTickerOptions) {}

  start(): void {
    const tickMs = Math.max(1, Math.min(this.o.tickMs ?? 1000, this.o.periodMs));
    const slots = Math.max(1, Math.round(this.o.periodMs / tickMs));
    this.timer = setInterval(() => this.onTick(slots), tickMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const w of this.waiting.splice(0)) w();
    await Promise.allSettled([...this.inFlight]);
  }

  private onTick(slots: number): void {
    // The first tick after start is slot 1: registration just beat every name.
    const slot = ++this.tick % slots;
    if (this.failures) {
      this.o.log.warn({ failures: this.failures, err: this.lastError }, `agent: ${this.o.what} failed`);
      this.failures = 0;
    }
    const names = this.o.names();
    for (let i = slot; i < names.length; i += slots) {
      const name = names[i];
      if (this.busy.has(name)) continue;
      this.busy.add(name);
      const p = this.run(name).finally(() => {
        this.busy.delete(name);
        this.inFlight.delete(p);
      });
      this.inFlight.add(p);
    }
  }

  private async run(name: string): Promise<void> {
    if (this.running >= (this.o.concurrency ?? 32)) await new Promise<void>((r) => this.waiting.push(r));
    if (!this.timer) return;
    this.running++;
    try {
      await this.o.beat(name);
    } catch (err) {
      this.failures++;
      this.lastError = err;
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
