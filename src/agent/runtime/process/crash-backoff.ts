// The kubelet's restart back-off for one container: the first crash restarts
// at once, then each restart waits twice as long (base 10 s, capped at 5 min).
// A container that ran for more than twice the cap starts over from the base.

export class CrashBackoff {
  private delayMs = 0;
  private lastUpdate: number | undefined;

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
  ) {}

  /** The back-off currently applied, as shown in the CrashLoopBackOff message. */
  get current(): number {
    return this.delayMs;
  }

  /** How long a container that finished at `finishedAt` must still wait; 0: restart now. */
  remaining(finishedAt: number, now: number): number {
    if (this.lastUpdate === undefined || this.expired(finishedAt)) return 0;
    return Math.max(0, this.delayMs - (now - finishedAt));
  }

  /** Records a restart of a container that finished at `finishedAt`. */
  next(finishedAt: number, now: number): void {
    this.delayMs = this.lastUpdate === undefined || this.expired(now) ? this.baseMs : Math.min(this.delayMs * 2, this.maxMs);
    this.lastUpdate = finishedAt;
  }

  private expired(at: number): boolean {
    return at - this.lastUpdate! > 2 * this.maxMs;
  }
}
