// Leader election over a coordination.k8s.io/v1 Lease, so that several
// `workplane serve` replicas sharing one store run the controllers and the
// scheduler in one replica at a time. The protocol is client-go's LeaseLock:
// a candidate takes the lease over only when it has seen no change to it for
// a whole lease duration, timed by its own monotonic clock from the moment it
// SAW the change (the remote renewTime is never compared with the local clock,
// so clock skew between replicas does not matter, only clock rate).
// Every write carries the resourceVersion it read, so two candidates racing
// for an expired lease cannot both win. A leader that cannot renew within
// renewDeadline (shorter than the lease duration) stops before anyone else may
// start. A watch on the lease only wakes the loops early (a released lease is
// taken over at once); polling every retry period stays the source of truth.

import { isAlreadyExists, isConflict, isNotFound } from '../api/errors.js';
import { clone, nowMicroIso, type KObject } from '../api/object.js';
import { silentLogger, type Logger } from './logger.js';
import type { Client, ResourceClient, Watch } from './types.js';

const LEASES = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
/** client-go's jitter on the candidate's retry period, so candidates do not poll in lockstep. */
const JITTER = 1.2;

export interface LeaderElectorOptions {
  /** Default `kube-system`, which must exist. */
  namespace?: string;
  name: string;
  /** Unique per replica (e.g. hostname + random suffix): a holder with this identity is treated as ourselves. */
  identity: string;
  /** Written to the Lease (an integer). Default 15. */
  leaseDurationSeconds?: number;
  /** A leader that has not renewed for this long gives up. Default 10; must be below the lease duration. */
  renewDeadlineSeconds?: number;
  /** Pause between attempts to acquire or renew. Default 2. */
  retryPeriodSeconds?: number;
  /** Hand the lease back on a clean stop so a successor starts at once (default true). */
  releaseOnStop?: boolean;
  log?: Logger;
}

export interface LeaderCallbacks {
  /**
   * Called at the start of each term. `leaderSignal` aborts when the term ends;
   * a returned promise should settle soon after: the elector waits for it
   * before calling onStoppedLeading and releasing the lease.
   */
  onStartedLeading(leaderSignal: AbortSignal): void | Promise<void>;
  /** Called at the end of each term, once the work started for it has settled. */
  onStoppedLeading?(): void;
  /** Called when a different holder is observed (ourselves included); not for an empty holder. */
  onNewLeader?(identity: string): void;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

type Attempt = 'held' | 'other' | 'retry';

const specOf = (lease: KObject): LeaseSpec => (lease.spec ?? {}) as LeaseSpec;
const record = (s: LeaseSpec) => JSON.stringify([s.holderIdentity ?? '', s.leaseDurationSeconds, s.acquireTime, s.renewTime, s.leaseTransitions]);

export class LeaderElector {
  private readonly leases: ResourceClient;
  private readonly namespace: string;
  private readonly leaseSeconds: number;
  private readonly renewDeadlineMs: number;
  private readonly retryMs: number;
  private readonly log: Logger;
  /** The last copy of the lease seen (read, written or watched); read-only. */
  private lease: KObject | undefined;
  private observedRecord = '';
  private observedAt = 0;
  private leading = false;
  private reported: string | undefined;
  private callbacks: LeaderCallbacks | undefined;
  private wake: (() => void) | undefined;
  private watch: Watch | undefined;

  constructor(
    client: Client,
    private readonly opts: LeaderElectorOptions,
  ) {
    this.leases = client.resource(LEASES);
    this.namespace = opts.namespace ?? 'kube-system';
    this.leaseSeconds = opts.leaseDurationSeconds ?? 15;
    const renewDeadline = opts.renewDeadlineSeconds ?? 10;
    const retry = opts.retryPeriodSeconds ?? 2;
    if (!Number.isInteger(this.leaseSeconds) || this.leaseSeconds < 1) throw new Error('leader election: leaseDurationSeconds must be a positive integer');
    if (!(renewDeadline < this.leaseSeconds)) throw new Error('leader election: renewDeadlineSeconds must be below leaseDurationSeconds');
    if (!(retry > 0 && retry * JITTER < renewDeadline)) throw new Error(`leader election: retryPeriodSeconds must be positive and ${JITTER}x of it below renewDeadlineSeconds`);
    if (!opts.identity) throw new Error('leader election: identity is required');
    this.renewDeadlineMs = renewDeadline * 1000;
    this.retryMs = retry * 1000;
    this.log = opts.log ?? silentLogger;
  }

  /** True during a term: from acquiring the lease until leaderSignal aborts. */
  isLeader(): boolean {
    return this.leading;
  }

  /** The holder last observed; undefined when none is known or the lease was released. */
  leader(): string | undefined {
    return (this.lease && specOf(this.lease).holderIdentity) || undefined;
  }

  /**
   * Campaigns until `signal` aborts, leading whenever it holds the lease: a
   * replica that loses the lease becomes a candidate again, so callbacks may
   * run for several terms. Resolves after the last term ended and the lease
   * was released.
   */
  async run(signal: AbortSignal, callbacks: LeaderCallbacks): Promise<void> {
    if (this.callbacks) throw new Error('leader election: already running');
    this.callbacks = callbacks;
    try {
      while (!signal.aborted) {
        const acquiredAt = await this.acquire(signal);
        if (acquiredAt === undefined) break;
        await this.lead(signal, callbacks, acquiredAt);
      }
    } finally {
      this.watch?.stop();
      this.watch = undefined;
      this.callbacks = undefined;
    }
  }

  /** Resolves with the monotonic time the winning write was sent, or undefined when stopped first. */
  private async acquire(signal: AbortSignal): Promise<number | undefined> {
    this.log.info({ lease: this.key(), identity: this.opts.identity }, 'attempting to acquire leader lease');
    while (!signal.aborted) {
      this.ensureWatch();
      const sent = performance.now();
      if ((await this.attempt()) === 'held') {
        if (!signal.aborted) return sent;
        await this.release();
        return undefined;
      }
      await this.wait(this.retryMs * (1 + Math.random() * JITTER), signal);
    }
    return undefined;
  }

  private async lead(signal: AbortSignal, callbacks: LeaderCallbacks, acquiredAt: number): Promise<void> {
    this.log.info({ lease: this.key(), identity: this.opts.identity }, 'acquired leader lease');
    const term = new AbortController();
    this.leading = true;
    let work: Promise<unknown>;
    try {
      work = Promise.resolve(callbacks.onStartedLeading(term.signal));
    } catch (e) {
      work = Promise.reject(e);
    }
    work = work.catch((err) => this.log.error({ err, lease: this.key() }, 'leader work failed'));

    const lost = await this.renew(signal, acquiredAt);
    this.leading = false;
    term.abort();
    if (lost) this.log.warn({ lease: this.key(), identity: this.opts.identity }, 'lost leader lease');
    await work;
    try {
      callbacks.onStoppedLeading?.();
    } catch (err) {
      this.log.error({ err }, 'onStoppedLeading failed');
    }
    if (!lost && this.opts.releaseOnStop !== false) await this.release();
  }

  /** Renews until `signal` aborts (false) or renewal fails past the deadline or another holder shows up (true). */
  private async renew(signal: AbortSignal, lastRenew: number): Promise<boolean> {
    let pause = this.retryMs;
    for (;;) {
      await this.wait(pause, signal);
      if (signal.aborted) return false;
      this.ensureWatch();
      const sent = performance.now();
      const left = lastRenew + this.renewDeadlineMs - sent;
      if (left <= 0) return true;
      const r = await within(this.attempt(), left);
      if (r === 'held') {
        lastRenew = sent;
        pause = this.retryMs;
      } else if (r === 'other') {
        return true;
      } else {
        pause = Math.min(this.retryMs, Math.max(0, lastRenew + this.renewDeadlineMs - performance.now()));
      }
    }
  }

  /** One try at creating, taking over or renewing the lease; never throws. */
  private async attempt(): Promise<Attempt> {
    try {
      const mine = this.lease && specOf(this.lease).holderIdentity === this.opts.identity;
      if (this.leading && mine) {
        // Renewal from the copy we wrote last: one request, no read.
        try {
          await this.write(this.lease!);
          return 'held';
        } catch (e) {
          if (!isConflict(e) && !isNotFound(e)) throw e;
        }
      }
      const current = await this.leases.get(this.namespace, this.opts.name);
      if (!current) {
        await this.create();
        return 'held';
      }
      this.observe(current);
      const spec = specOf(current);
      if (spec.holderIdentity && spec.holderIdentity !== this.opts.identity && !this.expired(spec)) return 'other';
      await this.write(current);
      return 'held';
    } catch (err) {
      // A conflict is a race another replica won or a concurrent edit: read again next time.
      if (isConflict(err) || isAlreadyExists(err)) this.log.debug({ lease: this.key() }, 'lease write conflicted; retrying');
      else this.log.warn({ err, lease: this.key() }, 'leader lease attempt failed');
      return 'retry';
    }
  }

  private async create(): Promise<void> {
    const now = nowMicroIso();
    const spec: LeaseSpec = { holderIdentity: this.opts.identity, leaseDurationSeconds: this.leaseSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 };
    const lease: KObject = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.opts.name, namespace: this.namespace }, spec };
    this.observe(await this.leases.create(this.namespace, lease));
  }

  /** Renews our lease, or takes over one found expired, released or already ours (a restarted replica). */
  private async write(from: KObject): Promise<void> {
    const old = specOf(from);
    const now = nowMicroIso();
    const ours = old.holderIdentity === this.opts.identity;
    const spec: LeaseSpec = {
      ...old,
      holderIdentity: this.opts.identity,
      leaseDurationSeconds: this.leaseSeconds,
      acquireTime: ours ? (old.acquireTime ?? now) : now,
      renewTime: now,
      leaseTransitions: (old.leaseTransitions ?? 0) + (ours ? 0 : 1),
    };
    this.observe(await this.leases.update(this.namespace, { ...clone(from), spec }));
  }

  /** Hands the lease back: no holder, one-second duration, so candidates take it at once. */
  private async release(): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const lease = attempt === 0 ? this.lease : await this.leases.get(this.namespace, this.opts.name).catch(() => undefined);
      if (!lease || specOf(lease).holderIdentity !== this.opts.identity) return;
      const now = nowMicroIso();
      const spec: LeaseSpec = { ...specOf(lease), holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now };
      try {
        const r = await within(this.leases.update(this.namespace, { ...clone(lease), spec }), this.renewDeadlineMs);
        if (r !== 'timeout') this.observe(r);
        this.log.info({ lease: this.key(), identity: this.opts.identity }, 'released leader lease');
        return;
      } catch (err) {
        if (!isConflict(err)) {
          this.log.warn({ err, lease: this.key() }, 'could not release leader lease');
          return;
        }
      }
    }
  }

  /** Records the lease; the observation clock restarts only when the election record changed. */
  private observe(lease: KObject | undefined): void {
    this.lease = lease;
    const spec = lease ? specOf(lease) : {};
    const rec = record(spec);
    if (rec !== this.observedRecord) {
      this.observedRecord = rec;
      this.observedAt = performance.now();
    }
    const holder = spec.holderIdentity || undefined;
    if (holder === this.reported) return;
    this.reported = holder;
    if (holder) {
      try {
        this.callbacks?.onNewLeader?.(holder);
      } catch (err) {
        this.log.error({ err }, 'onNewLeader failed');
      }
    }
  }

  private expired(spec: LeaseSpec): boolean {
    return performance.now() >= this.observedAt + (spec.leaseDurationSeconds ?? this.leaseSeconds) * 1000;
  }

  /** Watches the lease to react at once to a release (candidates) or a takeover (leader). */
  private ensureWatch(): void {
    if (this.watch) return;
    this.watch = this.leases.watch(
      this.namespace,
      { fieldSelector: `metadata.name=${this.opts.name}` },
      {
        onEvent: (type, obj) => {
          if (type === 'BOOKMARK') return;
          const holder = type === 'DELETED' ? undefined : specOf(obj).holderIdentity;
          const ours = holder === this.opts.identity;
          // A leader's own renewals echo back: nothing to learn from them.
          if (this.leading && ours) return;
          this.observe(type === 'DELETED' ? undefined : obj);
          // Another holder's renewal only moves the observation clock; anything else may be actionable now.
          if (this.leading || !holder || ours) this.wake?.();
        },
        onClose: () => {
          this.watch = undefined;
        },
      },
    );
  }

  /** Sleeps `ms`, cut short by `signal` or by the lease watch. */
  private wait(ms: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }

  private key(): string {
    return `${this.namespace}/${this.opts.name}`;
  }
}

/** The promise's outcome, or 'timeout' when it takes longer than `ms` (it keeps running). */
async function within<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}
