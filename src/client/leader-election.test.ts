// Leader election against a real in-process registry: one leader among
// candidates, fast hand-over on a clean stop, takeover after the lease
// expires when the leader crashes or loses the store, and never two leaders.

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { coreDefinitions } from '../api/core/index.js';
import { ApiError } from '../api/errors.js';
import type { KObject } from '../api/object.js';
import { LeaderElector, type LeaderElectorOptions } from './leader-election.js';
import { eventually, startTestApi, type TestApi } from './testing.js';
import type { Client, ResourceClient } from './types.js';

const LEASES = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces' };
/** Short enough for tests; the lease is written as 1 s, so expiry-based takeovers take about a second. */
const FAST = { leaseDurationSeconds: 1, renewDeadlineSeconds: 0.4, retryPeriodSeconds: 0.1 };

/** Term starts and stops of every candidate, in order; flags any start while another term is open. */
class Timeline {
  readonly events: string[] = [];
  readonly overlaps: string[] = [];
  private readonly active = new Set<string>();
  start(who: string): void {
    if (this.active.size) this.overlaps.push(`${who} started while ${[...this.active]} led`);
    this.active.add(who);
    this.events.push(`${who}:start`);
  }
  stop(who: string): void {
    this.active.delete(who);
    this.events.push(`${who}:stop`);
  }
  note(event: string): void {
    this.events.push(event);
  }
  count(event: string): number {
    return this.events.filter((e) => e === event).length;
  }
}

interface Candidate {
  elector: LeaderElector;
  stop: AbortController;
  done: Promise<void>;
  seen: string[];
}

/** Every call of the lease client fails while `broken()` says so: a replica cut off from the store. */
function flaky(client: Client, broken: () => boolean): Client {
  const unavailable = () => Promise.reject(new ApiError(503, 'ServiceUnavailable', 'store unreachable'));
  const wrap = (rc: ResourceClient): ResourceClient =>
    new Proxy(rc, {
      get(target, prop) {
        const v = Reflect.get(target, prop) as unknown;
        if (typeof v !== 'function') return v;
        if (prop === 'watch') return v.bind(target);
        return (...args: unknown[]) => (broken() ? unavailable() : (v as (...a: unknown[]) => unknown).apply(target, args));
      },
    });
  return { resource: (gvr) => wrap(client.resource(gvr)), forKind: (a, k) => client.forKind(a, k), resources: () => client.resources() };
}

describe('LeaderElector', () => {
  let api: TestApi;
  let tl: Timeline;
  const running: Candidate[] = [];

  beforeEach(async () => {
    api = await startTestApi(coreDefinitions);
    await api.client.resource(NAMESPACES).create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } });
    tl = new Timeline();
  });

  afterEach(async () => {
    for (const c of running.splice(0)) {
      c.stop.abort();
      await c.done;
    }
    await api.close();
  });

  const lease = async (): Promise<KObject> => {
    const l = await api.client.resource(LEASES).get('kube-system', 'workplane');
    assert.ok(l, 'lease exists');
    return l;
  };
  const spec = (l: KObject) => l.spec as { holderIdentity?: string; leaseTransitions?: number; renewTime?: string; leaseDurationSeconds?: number };

  function candidate(identity: string, opts: Partial<LeaderElectorOptions> = {}, client: Client = api.client): Candidate {
    const elector = new LeaderElector(client, { name: 'workplane', identity, ...opts });
    const stop = new AbortController();
    const seen: string[] = [];
    const done = elector.run(stop.signal, {
      onStartedLeading: (leaderSignal) => {
        tl.start(identity);
        // Work that winds down when the term ends: the elector waits for it.
        return new Promise<void>((resolve) =>
          leaderSignal.addEventListener('abort', () => {
            tl.note(`${identity}:work-ended`);
            resolve();
          }),
        );
      },
      onStoppedLeading: () => tl.stop(identity),
      onNewLeader: (id) => seen.push(id),
    });
    const c = { elector, stop, done, seen };
    running.push(c);
    return c;
  }

  const leaders = (...cs: Candidate[]) => cs.filter((c) => c.elector.isLeader());

  it('elects exactly one of two candidates, which keeps renewing', async () => {
    const a = candidate('a', FAST);
    const b = candidate('b', FAST);
    await eventually(() => leaders(a, b).length === 1, 'a leader');
    const [leader] = leaders(a, b);
    const follower = leader === a ? b : a;
    const id = leader === a ? 'a' : 'b';
    const first = spec(await lease());
    assert.equal(first.holderIdentity, id);
    assert.equal(first.leaseTransitions, 0);
    assert.equal(first.leaseDurationSeconds, 1);
    assert.match(first.renewTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);

    // Two renewals later the follower has watched the leader and still waits.
    await eventually(async () => spec(await lease()).renewTime !== first.renewTime, 'a renewal');
    const second = spec(await lease()).renewTime;
    await eventually(async () => spec(await lease()).renewTime !== second, 'another renewal');
    assert.equal(follower.elector.isLeader(), false);
    assert.equal(follower.elector.leader(), id);
    assert.deepEqual(follower.seen, [id]);
    assert.deepEqual(leader.seen, [id]);
    assert.equal(tl.count(`${id}:start`), 1);
    assert.deepEqual(tl.overlaps, []);
  });

  it('hands over at once when the leader stops cleanly', async () => {
    // Default timings: a takeover by expiry would need 15 s, so a fast one proves the release worked.
    const a = candidate('a');
    await eventually(() => a.elector.isLeader(), 'a leads');
    const b = candidate('b');
    await eventually(() => b.seen.includes('a'), 'b sees a');

    a.stop.abort();
    await a.done;
    assert.equal(a.elector.isLeader(), false);
    await eventually(() => b.elector.isLeader(), 'b takes over');
    const s = spec(await lease());
    assert.equal(s.holderIdentity, 'b');
    assert.equal(s.leaseTransitions, 1);
    assert.equal(s.leaseDurationSeconds, 15);
    assert.deepEqual(tl.events, ['a:start', 'a:work-ended', 'a:stop', 'b:start']);
    assert.deepEqual(tl.overlaps, []);
  });

  it('releases the lease on stop: no holder, one-second duration', async () => {
    const a = candidate('a');
    await eventually(() => a.elector.isLeader(), 'a leads');
    a.stop.abort();
    await a.done;
    const s = spec(await lease());
    assert.equal(s.holderIdentity, '');
    assert.equal(s.leaseDurationSeconds, 1);
    assert.equal(a.elector.leader(), undefined);
  });

  it('takes over after the lease duration when the leader vanishes without releasing', async () => {
    const a = candidate('a', { ...FAST, releaseOnStop: false });
    await eventually(() => a.elector.isLeader(), 'a leads');
    const b = candidate('b', FAST);
    await eventually(() => b.seen.includes('a'), 'b sees a');

    a.stop.abort();
    await a.done;
    assert.equal(spec(await lease()).holderIdentity, 'a', 'a crashed holding the lease');
    await eventually(() => b.elector.isLeader(), 'b takes over');
    const s = spec(await lease());
    assert.equal(s.holderIdentity, 'b');
    assert.equal(s.leaseTransitions, 1);
    assert.deepEqual(tl.events, ['a:start', 'a:work-ended', 'a:stop', 'b:start']);
  });

  it('gives up when renewals fail, before the other candidate takes over, and campaigns again', async () => {
    let broken = false;
    const a = candidate('a', FAST, flaky(api.client, () => broken));
    await eventually(() => a.elector.isLeader(), 'a leads');
    const b = candidate('b', FAST);
    await eventually(() => b.seen.includes('a'), 'b sees a');

    broken = true;
    await eventually(() => b.elector.isLeader(), 'b takes over');
    assert.equal(a.elector.isLeader(), false);
    assert.deepEqual(tl.events, ['a:start', 'a:work-ended', 'a:stop', 'b:start']);
    assert.deepEqual(tl.overlaps, []);

    // Back on the store, a is a candidate again and sees b lead.
    broken = false;
    await eventually(() => a.elector.leader() === 'b', 'a sees b');
    assert.equal(a.elector.isLeader(), false);
    assert.equal(spec(await lease()).leaseTransitions, 1);
  });

  it('counts every change of holder in leaseTransitions', async () => {
    const a = candidate('a', FAST);
    await eventually(() => a.elector.isLeader(), 'a leads');
    const b = candidate('b', FAST);
    await eventually(() => b.seen.includes('a'), 'b sees a');
    a.stop.abort();
    await a.done;
    await eventually(() => b.elector.isLeader(), 'b leads');
    const c = candidate('c', FAST);
    await eventually(() => c.seen.includes('b'), 'c sees b');
    b.stop.abort();
    await b.done;
    await eventually(() => c.elector.isLeader(), 'c leads');
    assert.equal(spec(await lease()).leaseTransitions, 2);
    assert.deepEqual(tl.overlaps, []);
  });

  it('rejects timings that cannot keep one leader', () => {
    assert.throws(() => new LeaderElector(api.client, { name: 'x', identity: 'a', leaseDurationSeconds: 10, renewDeadlineSeconds: 10 }), /renewDeadlineSeconds/);
    assert.throws(() => new LeaderElector(api.client, { name: 'x', identity: 'a', renewDeadlineSeconds: 2, retryPeriodSeconds: 2 }), /retryPeriodSeconds/);
    assert.throws(() => new LeaderElector(api.client, { name: 'x', identity: 'a', leaseDurationSeconds: 0.5, renewDeadlineSeconds: 0.2, retryPeriodSeconds: 0.1 }), /positive integer/);
  });
});
