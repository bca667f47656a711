// Randomized crash safety: concurrent writers and watchers against a real
// `workplane serve` on SQLite while the server is killed with SIGKILL and
// restarted several times. Afterwards every acknowledged write must be there
// (no update lost or applied twice), and every watcher must have seen a
// strictly ordered, gap-free, duplicate-free history ending in the listed state.
// One more watcher goes away before the last crash and comes back only after
// storage compaction passed its resourceVersion: it must get 410 Expired, relist
// and still end in the listed state.
// The seed is printed; CRASH_SEED=<n> replays the same choice of operations.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ServerProcess } from '../testing/server-process.js';
import { CrashWriter } from './support/crash-writer.js';
import { missedAckedWrites, streamDifferences } from './support/history-checks.js';
import { KubeHttp, sleep, whileUnreachable } from './support/kube-http.js';
import { finalProblem } from './support/object-ledger.js';
import { seedFromEnv, seededRng } from './support/prng.js';
import { WatchRecorder } from './support/watch-recorder.js';
import { watchExpired } from './support/watch-stream.js';

const WRITERS = 6;
const WATCHERS = 2;
const KILLS = 4;
const MAX_OPS_PER_WRITER = 4000;
/** Short, so the last server instance compacts while the test runs (the first compaction comes two intervals after start). */
const COMPACTION_SECONDS = 2;
const NS = 'crash';
const PATH = `/api/v1/namespaces/${NS}/configmaps`;
const SENTINEL = 'sentinel';
const tracked = (name: string) => /^w\d+-\d+$/.test(name);
const ours = (name: string) => tracked(name) || name === SENTINEL;

describe('crash consistency: sqlite under kill -9', () => {
  let server: ServerProcess | undefined;
  const clients: KubeHttp[] = [];
  const watchers: WatchRecorder[] = [];
  let stopping = false;

  after(async () => {
    stopping = true;
    await Promise.all(watchers.map((w) => w.stop().catch(() => undefined)));
    for (const c of clients) c.close();
    await server?.cleanup();
  });

  it('keeps every acknowledged write and a gap-free watch history', { timeout: 150_000 }, async (t) => {
    const seed = seedFromEnv('CRASH_SEED');
    t.diagnostic(`seed ${seed} (replay with CRASH_SEED=${seed})`);
    const rng = seededRng(seed);
    server = await new ServerProcess({ storage: 'sqlite', extraArgs: ['--agent-nodes', '0', '--compaction-interval', String(COMPACTION_SECONDS)] }).start();
    const target = { baseUrl: server.url, ca: server.caPem, token: server.adminToken };
    const admin = new KubeHttp(target);
    clients.push(admin);
    await admin.ok('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });

    for (let i = 0; i < WATCHERS; i++) {
      const w = new WatchRecorder(`watcher${i}`, target, PATH, tracked);
      watchers.push(w);
      await w.start();
    }
    const laggard = new WatchRecorder('laggard', target, PATH, tracked);
    watchers.push(laggard);
    await laggard.start();
    const writers = Array.from({ length: WRITERS }, (_, i) => {
      const http = new KubeHttp(target);
      clients.push(http);
      return new CrashWriter(`w${i}`, http, NS, rng.fork());
    });

    const running = writers.map((w) => w.run(() => stopping, MAX_OPS_PER_WRITER));
    const restartMs: number[] = [];
    try {
      for (let k = 0; k < KILLS; k++) {
        // The laggard leaves a while before the last crash, so the last instance starts past its resourceVersion.
        if (k === KILLS - 1) await laggard.suspend();
        await sleep(rng.int(1000, 2000));
        await server.kill9();
        const t0 = Date.now();
        await server.restart();
        restartMs.push(Date.now() - t0);
      }
      await sleep(rng.int(1000, 1500));
    } finally {
      stopping = true;
      await Promise.all(running);
    }

    // Every unknown outcome is read back now that the server is up for good.
    for (const w of writers) await w.resolveAll();
    // Only storage could serve the laggard's resourceVersion now; wait until compaction removed it.
    const laggardRv = laggard.resourceVersion;
    const compactedUntil = Date.now() + 30_000;
    while (!(await watchExpired(target, PATH, laggardRv))) {
      assert.ok(Date.now() < compactedUntil, `a watch from rv ${laggardRv} was still served 30 s after the last restart with --compaction-interval ${COMPACTION_SECONDS}:\n${server.output.slice(-2000)}`);
      await sleep(250);
    }
    laggard.resume();

    // A last write everyone must see: once a watcher has it, it has seen all before it.
    const sentinel = await whileUnreachable(() => admin.ok('POST', PATH, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: SENTINEL } }));
    const sentinelRv = Number(sentinel.metadata.resourceVersion);
    for (const w of watchers) await w.waitFor(`the sentinel at rv ${sentinelRv}`, () => w.resourceVersion >= sentinelRv && w.view.has(SENTINEL));
    const list = await admin.ok('GET', PATH);
    const items = list.items as { metadata: { name: string; resourceVersion: string }; data?: Record<string, string> }[];

    const problems: string[] = [];
    const finalByName = new Map(items.map((o) => [o.metadata.name, { rv: o.metadata.resourceVersion, n: Number(o.data?.n) }]));
    const known = new Set<string>();
    for (const w of writers) {
      problems.push(...w.violations);
      for (const l of w.ledgers.values()) {
        known.add(l.name);
        const p = finalProblem(l, finalByName.get(l.name));
        if (p) problems.push(`final: ${p}`);
      }
    }
    for (const o of items) if (tracked(o.metadata.name) && !known.has(o.metadata.name)) problems.push(`final: ${o.metadata.name} exists but no writer ever sent it`);
    for (const o of items) if (Number(o.metadata.resourceVersion) > Number(list.metadata.resourceVersion)) problems.push(`final: ${o.metadata.name}@${o.metadata.resourceVersion} newer than the list's rv ${list.metadata.resourceVersion}`);
    const acked = writers.flatMap((w) => w.acked);
    for (const w of watchers) {
      problems.push(...w.violations, ...w.diffAgainst(items, ours), ...missedAckedWrites(w, acked));
    }
    for (let i = 1; i < WATCHERS; i++) problems.push(...streamDifferences(watchers[0], watchers[i], ours));

    const total = writers.reduce((s, w) => {
      for (const [k, v] of Object.entries(w.stats)) s[k] = (s[k] ?? 0) + v;
      return s;
    }, {} as Record<string, number>);
    t.diagnostic(`restarts took ${restartMs.join(', ')} ms; writers ${JSON.stringify(total)}; final objects ${items.length}`);
    for (const w of watchers) {
      t.diagnostic(`${w.label}: ${w.events.length} events, ${w.reconnects} reconnects, ${w.relists} relists, ${w.bookmarks} bookmarks${w.notes.length ? `; notes: ${w.notes.slice(0, 5).join(' | ')}` : ''}`);
    }

    assert.deepEqual(problems.slice(0, 40), [], `seed ${seed}: ${problems.length} problems`);
    // The run must actually have exercised something.
    assert.ok(total.acked > 50, `only ${total.acked} acknowledged writes`);
    for (const w of watchers.slice(0, WATCHERS)) assert.ok(w.reconnects >= KILLS, `${w.label} reconnected only ${w.reconnects} times for ${KILLS} kills`);
    assert.ok(laggard.relists >= 1, 'the laggard resumed from a compacted resourceVersion without being told 410 Expired');
  });
});
