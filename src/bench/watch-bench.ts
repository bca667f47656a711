// Watch fan-out near the machine's limit: a writer creates objects at a
// fixed rate (default 1,000/s) while N watchers (default 100) in another
// process watch the collection; each event is timed from the writer's send
// to its arrival, every watcher must see every object, in resourceVersion
// order. The baseline is the same run with one watcher.

import { BenchServer } from './bench-server.js';
import type { PacedWritesResult, WatchCollectResult } from './load/jobs.js';
import { LoadWorker } from './load/workers.js';
import { cpuMsOf, launcher, type Placement } from './machine.js';
import { line, num } from './report.js';

export interface WatchBenchOptions {
  placement: Placement;
  storage: 'sqlite' | 'memory' | 'etcd';
  etcdEndpoints?: string[];
  seconds: number;
  rate: number;
  watchers: number;
}

const PAYLOAD = 256;

interface Round {
  writes: PacedWritesResult;
  watch: WatchCollectResult;
  /** Server CPU time per create, fan-out included (less noisy than latency on a shared machine). */
  serverMsPerWrite: number;
}

async function round(server: BenchServer, o: WatchBenchOptions, ns: string, watchers: number): Promise<Round> {
  await server.namespace(ns);
  const path = `/api/v1/namespaces/${ns}/configmaps`;
  const watch = new LoadWorker(launcher(o.placement.load));
  const writer = new LoadWorker(launcher(o.placement.load));
  try {
    await watch.run({ kind: 'watch-open', target: server.target, path, resourceVersion: await server.listVersion(path), watchers, namePrefix: 'w-' });
    const cpu0 = cpuMsOf(server.pid);
    const writes = await writer.run({ kind: 'paced-writes', target: server.target, path, namePrefix: 'w-', rate: o.rate, seconds: o.seconds, payloadBytes: PAYLOAD, maxInFlight: 64 });
    const result = await watch.run({ kind: 'watch-collect', expected: writes.ok, quietMs: 10_000 });
    return { writes, watch: result, serverMsPerWrite: (cpuMsOf(server.pid) - cpu0) / writes.ok };
  } finally {
    watch.close();
    writer.close();
  }
}

const describe = (r: Round) =>
  `writer ${num(r.writes.rate)}/s of ${num(r.writes.ok + r.writes.failed)} (create p50 ${num(r.writes.createP50Ms)} ms, p99 ${num(r.writes.createP99Ms)} ms, writer CPU ${num(r.writes.cpu * 100)}%${r.writes.failed ? `, ${r.writes.failed} failed: ${r.writes.firstError}` : ''}), ` +
  `${r.watch.missing === 0 ? 'every event delivered' : `${num(r.watch.missing)} events MISSING`}${r.watch.outOfOrder ? `, ${r.watch.outOfOrder} OUT OF ORDER` : ''}${r.watch.ended ? `, ${r.watch.ended} streams ended early` : ''}, ` +
  `max ${num(r.watch.maxMs)} ms, watcher CPU ${num(r.watch.cpu * 100)}%`;

export async function runWatchBench(o: WatchBenchOptions): Promise<string[]> {
  const server = await new BenchServer({ storage: o.storage, etcdEndpoints: o.etcdEndpoints, placement: o.placement }).start();
  try {
    // Warm the create and watch paths.
    await round(server, { ...o, seconds: 2 }, 'warm', 10);
    const one = await round(server, o, 'w1', 1);
    const many = await round(server, o, `w${o.watchers}`, o.watchers);
    const what = `${o.watchers} watchers, ${num(o.rate)} creates/s, ${o.storage}`;
    return [
      line({ what: `watch delivery p50 (${what})`, value: many.watch.p50Ms, unit: 'ms', baseline: { value: one.watch.p50Ms, what: 'one watcher' }, ratio: 'times' }),
      line({ what: `watch delivery p99 (${what})`, value: many.watch.p99Ms, unit: 'ms', baseline: { value: one.watch.p99Ms, what: 'one watcher' }, ratio: 'times', goal: { on: 'value', atMost: 50, text: '≤ 50 ms' } }),
      line({ what: `server CPU per create (${what})`, value: many.serverMsPerWrite * 1000, unit: 'µs', baseline: { value: one.serverMsPerWrite * 1000, what: 'one watcher' }, ratio: 'times' }),
      `  ${o.watchers} watchers: ${describe(many)}`,
      `  one watcher: ${describe(one)}`,
    ];
  } finally {
    await server.cleanup();
  }
}
