// Pacing of pod creates after the API refused one (quota, namespace
// terminating...). Retrying on every event would loop: each attempt names a
// new pod in the refusal, which changes the status, whose write triggers the
// next attempt. So a refused workload waits 1 s, doubling to 30 s, and keeps
// reporting the last refusal meanwhile; a new generation or a quota change
// lets it try at once.

interface Block {
  until: number;
  failure: string;
  failures: number;
  generation?: number;
}

export class CreateBackoff {
  private readonly blocks = new Map<string, Block>();

  /** The refusal still in force for this workload, if creates must wait. */
  blocked(key: string, generation: number | undefined, now = Date.now()): { failure: string; retryInMs: number } | undefined {
    const b = this.blocks.get(key);
    if (!b || b.generation !== generation || now >= b.until) return undefined;
    return { failure: b.failure, retryInMs: b.until - now };
  }

  /** The outcome of an attempt; returns how long to wait before the next one (undefined: no wait). */
  record(key: string, generation: number | undefined, failure: string | undefined, now = Date.now()): number | undefined {
    if (!failure) {
      this.blocks.delete(key);
      return undefined;
    }
    const failures = (this.blocks.get(key)?.failures ?? 0) + 1;
    const wait = Math.min(1000 * 2 ** (failures - 1), 30_000);
    this.blocks.set(key, { until: now + wait, failure, failures, generation });
    return wait;
  }

  unblock(key: string): void {
    const b = this.blocks.get(key);
    if (b) b.until = 0;
  }

  forget(key: string): void {
    this.blocks.delete(key);
  }
}
