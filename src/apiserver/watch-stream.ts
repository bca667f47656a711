// The HTTP end of one watch: newline-delimited JSON frames on a chunked
// response. A watcher's frames of one event-loop turn leave in one corked
// write (one TLS record, one syscall, not four per event), and a watcher
// whose client stops reading is cut off once its unsent live backlog passes
// a bound, as kube-apiserver's cacher drops a watcher it cannot feed: the
// stream ends cleanly after what was already queued, so the client resumes
// from the last resourceVersion it saw, and nobody else waits for it.

import type { ServerResponse } from 'node:http';

export interface WatchStreamLimits {
  /** Unsent bytes of live events a watch may hold before it is cut off. */
  watchBufferBytes: number;
  /** A cut-off watch whose client still does not read is dropped after this long. */
  watchDrainTimeoutMs: number;
  /**
   * kube-apiserver's --min-request-timeout: a watch that names no timeoutSeconds ends after
   * a random time between this and twice this (seconds), so clients' reconnects spread out
   * and long-lived connections rebalance across replicas. 0: such watches never end.
   */
  minRequestTimeoutSeconds: number;
}

export const DEFAULT_WATCH_LIMITS: WatchStreamLimits = {
  watchBufferBytes: 8 * 1024 * 1024,
  watchDrainTimeoutMs: 30_000,
  minRequestTimeoutSeconds: 1800,
};

const due = new Set<WatchStream>();
let scheduled = false;

function flushDue(): void {
  scheduled = false;
  const streams = [...due];
  due.clear();
  for (const s of streams) s.flush();
}

export class WatchStream {
  private corked = false;
  private ended = false;
  /** Bytes written before the watch went live (its initial events and replay), which the client reads at its own pace. */
  private initialBytes = 0;
  private written = 0;
  private live = false;
  /** Bytes written in the current (or, once flushed, the last) turn. */
  private turnBytes = 0;

  constructor(
    private readonly res: ServerResponse,
    private readonly limits: Pick<WatchStreamLimits, 'watchBufferBytes' | 'watchDrainTimeoutMs'>,
    /** Called once when the watch is cut off for falling behind (before the response ends). */
    private readonly onCutOff: () => void,
  ) {}

  get closed(): boolean {
    return this.ended || this.res.writableEnded || this.res.destroyed;
  }

  /** From now on frames are live events, held to the buffer bound. */
  goLive(): void {
    this.live = true;
  }

  /**
   * Queues a frame; frames written in the same turn go out together. The first frame of a
   * turn finds out whether the client took what earlier turns sent: if the backlog of live
   * events is still over the bound, the watch is cut off instead.
   */
  write(frame: Buffer): void {
    if (this.closed) return;
    if (!this.corked) {
      // What the last turn sent may still be on its way out; everything before it was not taken.
      if (this.live && this.liveBacklog() > this.limits.watchBufferBytes + this.turnBytes) {
        this.cutOff();
        return;
      }
      this.turnBytes = 0;
      this.corked = true;
      this.res.cork();
      due.add(this);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flushDue);
      }
    }
    this.written += frame.length;
    this.turnBytes += frame.length;
    if (!this.live) this.initialBytes += frame.length;
    this.res.write(frame);
  }

  /** Sends the frames queued this turn. */
  flush(): void {
    if (!this.corked) return;
    this.corked = false;
    due.delete(this);
    this.res.uncork();
  }

  /** Unsent bytes of live events: what is unsent, less what remains of the initial events (sent first). */
  private liveBacklog(): number {
    const unsent = this.res.writableLength;
    const initialUnsent = Math.max(0, this.initialBytes - (this.written - unsent));
    return unsent - initialUnsent;
  }

  private cutOff(): void {
    this.onCutOff();
    this.end();
    // A client that still does not read keeps the queued bytes; drop the connection after a while.
    const timer = setTimeout(() => this.res.destroy(), this.limits.watchDrainTimeoutMs);
    timer.unref();
    this.res.once('close', () => clearTimeout(timer));
  }

  /** Sends what is queued and ends the response (the terminating chunk: a clean end of the watch). */
  end(): void {
    if (this.ended) return;
    this.flush();
    this.ended = true;
    if (!this.res.writableEnded && !this.res.destroyed) this.res.end();
  }
}
