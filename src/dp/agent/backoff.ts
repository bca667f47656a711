// Exponential backoff with jitter for reconnecting to the control plane: quick
// first retries (a restart takes about a second), capped so a long outage does
// not leave proxies waiting long after it ends.

export class Backoff {
  private attempt = 0;

  constructor(
    private readonly initialMs = 200,
    private readonly maxMs = 5000,
  ) {}

  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** this.attempt);
    this.attempt++;
    return Math.round(base / 2 + (Math.random() * base) / 2);
  }

  reset(): void {
    this.attempt = 0;
  }
}
