// Periodic storage compaction, as kube-apiserver does every five minutes: each
// run compacts to the revision seen at the previous run, so watchers always have
// at least one interval of history to resume from.

import type { Logger } from 'pino';
import type { Store } from '../storage/types.js';

export class Compactor {
  private timer?: NodeJS.Timeout;
  private last = 0;

  constructor(
    private readonly store: Store,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.run(), this.intervalMs);
    this.timer.unref();
  }

  async run(): Promise<void> {
    try {
      const current = await this.store.currentRevision();
      if (this.last > 0 && this.last > (await this.store.compactedRevision())) await this.store.compact(this.last);
      this.last = current;
    } catch (e) {
      this.logger.warn({ err: e }, 'compaction failed');
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
