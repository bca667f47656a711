// Runs one probe of one container instance periodically and turns attempts
// into a result with the probe's thresholds: `successThreshold` passes in a
// row make it succeed, `failureThreshold` failures in a row make it fail.
// Only changes of the result are reported.

import type { ProbeCheck } from './probe-check.js';

export interface ProbeTiming {
  initialDelayMs: number;
  periodMs: number;
  timeoutMs: number;
  successThreshold: number;
  failureThreshold: number;
}

const num = (v: unknown, dflt: number) => (typeof v === 'number' && Number.isFinite(v) ? v : dflt);

/** Kubernetes' probe defaults; `scale` shrinks delays and periods (tests), never timeouts. */
export function probeTiming(probe: Record<string, unknown>, scale = 1): ProbeTiming {
  return {
    initialDelayMs: num(probe.initialDelaySeconds, 0) * 1000 * scale,
    periodMs: Math.max(1, num(probe.periodSeconds, 10) * 1000 * scale),
    timeoutMs: Math.max(1, num(probe.timeoutSeconds, 1)) * 1000,
    successThreshold: Math.max(1, num(probe.successThreshold, 1)),
    failureThreshold: Math.max(1, num(probe.failureThreshold, 3)),
  };
}

export class Prober {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private successes = 0;
  private failures = 0;

  constructor(
    private readonly check: ProbeCheck,
    private readonly timing: ProbeTiming,
    private result: boolean,
    private readonly onChange: (result: boolean) => void,
  ) {}

  /** Starts probing; the initial delay counts from `startedAtMs`, the container's start. */
  start(startedAtMs: number): void {
    this.schedule(Math.max(0, startedAtMs + this.timing.initialDelayMs - Date.now()));
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    if (!this.stopped) this.timer = setTimeout(() => void this.probe(), delayMs);
  }

  private async probe(): Promise<void> {
    const began = Date.now();
    const ok = await this.check(this.timing.timeoutMs).catch(() => false);
    if (this.stopped) return;
    if (ok) {
      this.failures = 0;
      this.successes++;
    } else {
      this.successes = 0;
      this.failures++;
    }
    let next = this.result;
    if (ok && this.successes >= this.timing.successThreshold) next = true;
    if (!ok && this.failures >= this.timing.failureThreshold) next = false;
    this.schedule(Math.max(0, began + this.timing.periodMs - Date.now()));
    if (next !== this.result) {
      this.result = next;
      this.onChange(next);
    }
  }
}
