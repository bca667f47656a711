// `npm run bench [-- SECTION...]`: what users see, each figure printed beside
// a baseline measured in the same run (as a ratio, with its goal), because
// this machine is shared and noisy. API sections run `workplane serve` as its
// own process and load it from others, pinned apart where possible; the
// scheduler, mesh, identity, compute and RBAC sections run in process.

import { runApiBench } from './api-bench.js';
import { runComputeBench } from './compute-bench.js';
import { runEtcdBench } from './etcd-bench.js';
import { runIdentityBench } from './identity-bench.js';
import { machineFacts, pinSelf, placement } from './machine.js';
import { runMeshBench } from './mesh-bench.js';
import { runRbacBench } from './rbac-bench.js';
import { runScaleBench } from './scale-bench.js';
import { runSchedulerBench } from './scheduler-bench.js';
import { runWatchBench } from './watch-bench.js';

const env = (name: string, def: number) => {
  const v = Number(process.env[name] ?? def);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number`);
  return v;
};

const SECONDS = env('BENCH_SECONDS', 10);
const RATE = env('BENCH_WATCH_RATE', 1000);
const WATCHERS = env('BENCH_WATCHERS', 100);
const OBJECTS = env('BENCH_OBJECTS', 100_000);

const where = placement();

const OUT_OF_PROCESS = new Set(['api', 'watch', 'scale', 'etcd']);

const SECTIONS: Record<string, { title: string; run: () => Promise<string[]> }> = {
  api: { title: `API over HTTPS from another process (64 connections, ${SECONDS} s per figure), SQLite`, run: () => runApiBench({ placement: where, storage: 'sqlite', seconds: SECONDS }) },
  watch: {
    title: `Watch fan-out (${SECONDS} s of writes): SQLite, then memory storage (no fsync: the fan-out alone)`,
    run: async () => [
      ...(process.env.BENCH_WATCH_STORAGE === 'memory' ? [] : await runWatchBench({ placement: where, storage: 'sqlite', seconds: SECONDS, rate: RATE, watchers: WATCHERS })),
      ...(process.env.BENCH_WATCH_STORAGE === 'sqlite' ? [] : await runWatchBench({ placement: where, storage: 'memory', seconds: SECONDS, rate: RATE, watchers: WATCHERS })),
    ],
  },
  scale: { title: `Memory and restart, SQLite`, run: () => runScaleBench({ placement: where, storage: 'sqlite', objects: OBJECTS }) },
  etcd: {
    title: 'The same on etcd (one member, on the server cores)',
    run: () => runEtcdBench({ placement: where, seconds: SECONDS, rate: RATE, watchers: WATCHERS, objects: process.env.BENCH_ETCD_SCALE ? OBJECTS : undefined }),
  },
  rbac: { title: 'Authorization', run: () => runRbacBench() },
  scheduler: { title: 'Scheduler', run: () => runSchedulerBench() },
  mesh: { title: 'Mesh workloads', run: () => runMeshBench({ startControllers: false }) },
  identity: { title: 'Identity', run: () => runIdentityBench() },
  compute: { title: 'Compute workloads', run: () => runComputeBench() },
};

const usage = `usage: npm run bench [-- SECTION...]
sections: ${Object.keys(SECTIONS).join(' ')} (default: all, in that order)
environment: BENCH_SECONDS (${SECONDS}) per throughput figure, BENCH_WATCH_RATE (${RATE}) creates/s and
BENCH_WATCHERS (${WATCHERS}) for the watch figures, BENCH_OBJECTS (${OBJECTS}) for memory and restart,
BENCH_ETCD_SCALE=1 to add memory and restart on etcd, BENCH_NO_PIN=1 to run unpinned`;

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('-h') || args.includes('--help')) {
    console.log(usage);
    return;
  }
  const chosen = args.length ? args : (process.env.BENCH_ONLY?.split(',') ?? Object.keys(SECTIONS));
  const unknown = chosen.filter((s) => !SECTIONS[s]);
  if (unknown.length) {
    console.error(`unknown section(s): ${unknown.join(', ')}\n${usage}`);
    process.exitCode = 2;
    return;
  }
  for (const l of machineFacts(where)) console.log(l);
  for (const name of chosen) {
    const s = SECTIONS[name];
    // Out of process, the bench itself (orchestration, JSON.stringify baselines) stays off the server's core;
    // in-process sections may use every core, as they did before.
    pinSelf(OUT_OF_PROCESS.has(name) ? where.load : where.all);
    console.log(`\n== ${s.title}`);
    for (const l of await s.run()) console.log(l);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
