// One pod's token, kept fresh: fetched before the first connect and renewed
// at 80% of its lifetime (kubelet's rule for the tokens it projects), so a
// session that reconnects (control-plane restart, network trouble) always has
// a valid token at hand, and thousands of pods do not all ask for one at the
// moment the control plane comes back. A failed renewal retries with backoff
// while the current token is still good.

import type { KObject } from '../../api/object.js';
import type { Logger } from '../../client/logger.js';
import type { PodToken, PodTokenSource } from './pod-token-source.js';

/** Runs fn after ms; returns a canceller (tests pass a manual one). */
export type Scheduler = (fn: () => void, ms: number) => () => void;

const RENEW_AT = 0.8;
/** A token this close to expiry is not handed out; a new one is fetched first. */
const EXPIRY_SLACK_MS = 30_000;
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 60_000;
const MAX_TIMER_MS = 2 ** 31 - 1;

export const timerScheduler: Scheduler = (fn, ms) => {
  const t = setTimeout(fn, Math.min(ms, MAX_TIMER_MS));
  t.unref();
  return () => clearTimeout(t);
};

export interface RenewingTokenOptions {
  source: PodTokenSource;
  pod: KObject;
  log: Logger;
  now?: () => number;
  schedule?: Scheduler;
}

export class RenewingToken {
  private current?: PodToken;
  private inflight?: Promise<PodToken>;
  private cancel?: () => void;
  private failures = 0;
  private stopped = false;
  private readonly now: () => number;
  private readonly schedule: Scheduler;

  constructor(private readonly o: RenewingTokenOptions) {
    this.now = o.now ?? Date.now;
    this.schedule = o.schedule ?? timerScheduler;
  }

  /** A valid token: the current one, or a new one when it is (nearly) expired. */
  async get(): Promise<string> {
    const c = this.current;
    if (c && c.expiresAt - this.now() > EXPIRY_SLACK_MS) return c.token;
    return (await this.fetch()).token;
  }

  stop(): void {
    this.stopped = true;
    this.cancel?.();
    this.cancel = undefined;
  }

  private fetch(): Promise<PodToken> {
    if (!this.inflight) {
      const p = this.request();
      this.inflight = p;
      const clear = () => {
        if (this.inflight === p) this.inflight = undefined;
      };
      p.then(clear, clear);
    }
    return this.inflight;
  }

  private async request(): Promise<PodToken> {
    const askedAt = this.now();
    const t = await this.o.source.token(this.o.pod);
    this.current = t;
    this.failures = 0;
    this.arm(Math.max(0, (t.expiresAt - askedAt) * RENEW_AT - (this.now() - askedAt)));
    return t;
  }

  private arm(ms: number): void {
    this.cancel?.();
    this.cancel = this.stopped ? undefined : this.schedule(() => this.renew(), ms);
  }

  private renew(): void {
    this.cancel = undefined;
    if (this.stopped) return;
    this.fetch().catch((err) => {
      if (this.stopped) return;
      this.failures++;
      const { namespace, name } = this.o.pod.metadata;
      this.o.log.warn({ pod: `${namespace}/${name}`, err, failures: this.failures }, 'mesh: token renewal failed; retrying');
      this.arm(Math.min(RETRY_MIN_MS * 2 ** (this.failures - 1), RETRY_MAX_MS));
    });
  }
}
