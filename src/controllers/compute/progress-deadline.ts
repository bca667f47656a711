// The progress deadline: a workload that has not moved towards its goal
// (more pods created, updated or ready, a new generation) for longer than the
// deadline is reported ProgressDeadlineExceeded and phase Failed. Time of
// last progress is kept in memory: after a restart the clock starts again,
// except that a workload already reported as timed out stays so until it moves.

export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

interface Mark {
  signature: string;
  at: number;
}

export class ProgressClock {
  private readonly marks = new Map<string, Mark>();

  constructor(private readonly deadlineMs: number) {}

  /**
   * Records the workload's current position (`signature`) and says whether the
   * deadline has passed without progress, and if not, in how many ms it will.
   * `complete` workloads never time out; `timedOut` seeds a restarted clock.
   */
  check(key: string, signature: string, complete: boolean, timedOut: boolean, now = Date.now()): { exceeded: boolean; remainingMs?: number } {
    if (complete) {
      this.marks.set(key, { signature, at: now });
      return { exceeded: false };
    }
    let m = this.marks.get(key);
    if (!m) this.marks.set(key, (m = { signature, at: timedOut ? -Infinity : now }));
    else if (m.signature !== signature) {
      m.signature = signature;
      m.at = now;
    }
    const remaining = m.at + this.deadlineMs - now;
    return remaining <= 0 ? { exceeded: true } : { exceeded: false, remainingMs: remaining };
  }

  forget(key: string): void {
    this.marks.delete(key);
  }
}
