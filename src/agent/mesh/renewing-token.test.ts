import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../../api/object.js';
import { silentLogger } from '../../client/logger.js';
import type { PodToken, PodTokenSource } from './pod-token-source.js';
import { RenewingToken, type Scheduler } from './renewing-token.js';

const pod: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', uid: 'u1' } };

/** A clock and timers the test advances by hand. */
function manual() {
  const timers: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  const state = { now: 1_000_000 };
  const schedule: Scheduler = (fn, ms) => {
    const t = { fn, ms, cancelled: false };
    timers.push(t);
    return () => void (t.cancelled = true);
  };
  const pending = () => timers.filter((t) => !t.cancelled);
  /** Runs the one pending timer (there is at most one per token). */
  const fire = () => {
    const live = pending();
    assert.equal(live.length, 1, 'one renewal timer armed');
    live[0].cancelled = true;
    live[0].fn();
  };
  return { state, schedule, pending, fire };
}

const settle = () => new Promise((r) => setImmediate(r));

class FakeSource implements PodTokenSource {
  calls = 0;
  failNext = 0;
  constructor(
    private readonly clock: { now: number },
    private readonly lifetimeMs: number,
  ) {}
  async token(p: KObject): Promise<PodToken> {
    this.calls++;
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('TokenRequest failed');
    }
    return { token: `${p.metadata.uid}-${this.calls}`, expiresAt: this.clock.now + this.lifetimeMs };
  }
}

describe('RenewingToken', () => {
  it('fetches once, serves the same token, and renews at 80% of its lifetime', async () => {
    const m = manual();
    const src = new FakeSource(m.state, 3600_000);
    const t = new RenewingToken({ source: src, pod, log: silentLogger, now: () => m.state.now, schedule: m.schedule });
    const [a, b] = await Promise.all([t.get(), t.get()]);
    assert.equal(a, 'u1-1');
    assert.equal(b, 'u1-1', 'concurrent callers share one request');
    assert.equal(src.calls, 1);
    assert.deepEqual(m.pending().map((x) => x.ms), [2880_000]);

    m.state.now += 2880_000;
    m.fire();
    await settle();
    assert.equal(src.calls, 2);
    assert.equal(await t.get(), 'u1-2');
    assert.equal(m.pending().length, 1, 'the next renewal is armed');
    t.stop();
    assert.equal(m.pending().length, 0);
  });

  it('retries a failed renewal with backoff and keeps serving the still-valid token', async () => {
    const m = manual();
    const src = new FakeSource(m.state, 1000_000);
    const t = new RenewingToken({ source: src, pod, log: silentLogger, now: () => m.state.now, schedule: m.schedule });
    assert.equal(await t.get(), 'u1-1');
    src.failNext = 2;
    m.fire();
    await settle();
    assert.deepEqual(m.pending().map((x) => x.ms), [1000]);
    assert.equal(await t.get(), 'u1-1');
    m.fire();
    await settle();
    assert.deepEqual(m.pending().map((x) => x.ms), [2000]);
    m.fire();
    await settle();
    assert.equal(await t.get(), 'u1-4');
    t.stop();
  });

  it('fetches a new token when the current one is about to expire, and passes a failure to the caller', async () => {
    const m = manual();
    const src = new FakeSource(m.state, 600_000);
    const t = new RenewingToken({ source: src, pod, log: silentLogger, now: () => m.state.now, schedule: m.schedule });
    await t.get();
    m.state.now += 590_000; // the renewal timer did not run (a suspended machine)
    assert.equal(await t.get(), 'u1-2');
    m.state.now += 600_000;
    src.failNext = 1;
    await assert.rejects(t.get(), /TokenRequest failed/);
    t.stop();
  });
});
