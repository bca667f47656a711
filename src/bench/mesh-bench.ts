// Mesh benchmark: how fast Workload status follows the fleet, and whether the
// work per change depends on the fleet's size. An in-process control plane
// gets a burst of Dataplanes (Universal flow) with connected insights; we time
// until every Workload's status is right, then flip proxies' health one at a
// time and time each flip from the write to the Workload status showing it.
// Run at 10,000 and at 1,000 proxies; the baseline, measured in the same run,
// is one API write seen through a watch (the floor for any
// controller, which needs two such hops: Dataplane in, status out).

import { setMaxListeners } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KObject } from '../api/object.js';
import { Informer } from '../client/informer.js';
import { InProcessClient } from '../client/in-process-client.js';
import { silentLogger } from '../client/logger.js';
import type { ResourceClient } from '../client/types.js';
import { startControlPlane, type ControlPlane } from '../controlplane/control-plane.js';
import { serveOptions } from '../controlplane/options.js';
import { DATAPLANE_INSIGHTS, DATAPLANES, WORKLOADS } from '../controllers/mesh/resources.js';
import { startMeshControllers } from '../controllers/mesh/index.js';
import { loadMeshConfig } from '../mesh/config.js';
import type { StoreKind } from '../storage/open-store.js';

export interface MeshBenchOptions {
  /** Start the mesh controllers here; set false once control-plane.ts runs them itself. Default true. */
  startControllers?: boolean;
  storage?: StoreKind;
  /** [proxies, workloads] pairs. Default 10,000/1,000 then 1,000/100. */
  sizes?: [number, number][];
  flips?: number;
}

const NS = 'bench';
const CONCURRENCY = 64;

async function pool(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await fn(next++);
  }));
}

const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const ms = (x: number) => `${x.toFixed(2)} ms`;
const inbound = (state: 'Ready' | 'NotReady') => [{ port: 8080, state, health: { ready: state === 'Ready' }, tags: { 'kuma.io/service': 'svc' } }];

const dataplane = (i: number, workloads: number): KObject => ({
  apiVersion: 'kuma.io/v1alpha1',
  kind: 'Dataplane',
  metadata: { name: `dp-${i}`, namespace: NS, labels: { 'kuma.io/workload': `w-${i % workloads}` } },
  spec: { networking: { address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, inbound: inbound('Ready') } },
});

const connected = { subscriptions: [{ id: 's-1', controlPlaneInstanceId: 'bench', connectTime: new Date().toISOString() }] };

/** Resolves when a Workload's status satisfies a predicate, as seen through a watch. */
class StatusWatch {
  private waiters = new Map<string, { want: (c: Counts) => boolean; resolve: () => void }>();
  constructor(readonly informer: Informer) {
    informer.addHandler({ onAdd: (o) => this.seen(o), onUpdate: (_, o) => this.seen(o) });
  }
  private seen(o: KObject): void {
    const w = this.waiters.get(o.metadata.name!);
    if (w && w.want(countsOf(o))) {
      this.waiters.delete(o.metadata.name!);
      w.resolve();
    }
  }
  until(name: string, want: (c: Counts) => boolean): Promise<void> {
    const cur = this.informer.get(NS, name);
    if (cur && want(countsOf(cur))) return Promise.resolve();
    return new Promise((resolve) => this.waiters.set(name, { want, resolve }));
  }
}
type Counts = { connected?: number; healthy?: number; total?: number };
const countsOf = (o: KObject): Counts => ((o.status as { dataplaneProxies?: Counts } | undefined)?.dataplaneProxies ?? {});

async function scenario(cp: ControlPlane, proxies: number, workloads: number, flips: number): Promise<string[]> {
  const client = new InProcessClient(cp.registry, { fieldManager: 'mesh-bench', log: silentLogger });
  const dps = client.resource(DATAPLANES);
  const dpis = client.resource(DATAPLANE_INSIGHTS);
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  const informer = new Informer(client.resource(WORKLOADS), { log: silentLogger });
  const running = informer.start(abort.signal);
  await informer.waitForSync(abort.signal);
  const watch = new StatusWatch(informer);
  const perWorkload = proxies / workloads;

  // Burst: every Dataplane and its connected insight, 64 writes in flight.
  const full = (c: Counts) => c.total === perWorkload && c.connected === perWorkload && c.healthy === perWorkload;
  const t0 = performance.now();
  const allCorrect = Promise.all(Array.from({ length: workloads }, (_, w) => watch.until(`w-${w}`, full)));
  await pool(proxies, CONCURRENCY, async (i) => {
    await dps.create(NS, dataplane(i, workloads));
    const dpi = await dpis.create(NS, { apiVersion: 'kuma.io/v1alpha1', kind: 'DataplaneInsight', metadata: { name: `dp-${i}`, namespace: NS } });
    await dpis.updateStatus(NS, { ...dpi, status: connected });
  });
  const written = performance.now();
  await allCorrect;
  const converged = performance.now();

  // Health flips, one at a time: write → Workload status shows it.
  const healthy = new Map<string, number>();
  const latency: number[] = [];
  const stride = Math.max(1, Math.floor(proxies / flips));
  for (let k = 0; k < flips; k++) {
    const i = (k * stride) % proxies;
    const w = `w-${i % workloads}`;
    const want = (healthy.get(w) ?? perWorkload) - 1;
    healthy.set(w, want);
    const seen = watch.until(w, (c) => c.healthy === want);
    const start = performance.now();
    await dps.patch(NS, `dp-${i}`, 'merge', { spec: { networking: { inbound: inbound('NotReady') } } });
    await seen;
    latency.push(performance.now() - start);
  }
  const base = await baseline(client.resource({ group: '', version: 'v1', resource: 'configmaps' }), flips);
  abort.abort();
  await running;
  const label = `${String(proxies).padStart(6)} proxies / ${String(workloads).padStart(5)} workloads`;
  return [
    `${label}: burst of ${proxies * 3} writes in ${((written - t0) / 1000).toFixed(2)} s; every Workload status right ${((converged - t0) / 1000).toFixed(2)} s after the first write (${ms(converged - written)} after the last)`,
    `${' '.repeat(label.length)}  health flip → Workload status p50 ${ms(pct(latency, 0.5))} p99 ${ms(pct(latency, 0.99))} | baseline: one write seen through a watch p50 ${ms(base.p50)} p99 ${ms(base.p99)} (a flip takes two such hops)`,
  ];
}

/** One write and the same write observed by an informer: what a single hop costs on this machine, now. */
async function baseline(rc: ResourceClient, n: number) {
  const abort = new AbortController();
  const signal = abort.signal;
  setMaxListeners(0, signal);
  await rc.create(NS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'baseline', namespace: NS }, data: { n: '0' } });
  const inf = new Informer(rc, { log: silentLogger, fieldSelector: 'metadata.name=baseline' });
  const running = inf.start(signal);
  await inf.waitForSync(signal);
  let waiting: { n: string; resolve: () => void } | undefined;
  inf.addHandler({ onUpdate: (_, o) => {
    if (waiting && (o.data as { n: string }).n === waiting.n) waiting.resolve();
  } });
  const watch: number[] = [];
  for (let i = 1; i <= n; i++) {
    const seen = new Promise<void>((resolve) => (waiting = { n: String(i), resolve }));
    const start = performance.now();
    await rc.patch(NS, 'baseline', 'merge', { data: { n: String(i) } });
    await seen;
    watch.push(performance.now() - start);
  }
  abort.abort();
  await running;
  return { p50: pct(watch, 0.5), p99: pct(watch, 0.99) };
}

export async function runMeshBench(opts: MeshBenchOptions = {}): Promise<string[]> {
  const storage = opts.storage ?? ((process.env.MESH_BENCH_STORAGE as StoreKind | undefined) ?? 'sqlite');
  const sizes = opts.sizes ?? [[10_000, 1_000], [1_000, 100]];
  const flips = opts.flips ?? 1_000;
  const lines = [`mesh: Workload status under a fleet burst and single health flips (${storage} storage, ${flips} flips; flip latency should not grow with the fleet)`];
  for (const [proxies, workloads] of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'wp-bench-mesh-'));
    const cp = await startControlPlane(serveOptions({ dataDir: dir, storage, compactionIntervalSeconds: 0 }));
    const abort = new AbortController();
    setMaxListeners(0, abort.signal);
    let controllers: Promise<void> | undefined;
    try {
      const system = new InProcessClient(cp.registry, { fieldManager: 'workplane-controllers', log: cp.logger });
      await system.resource({ group: '', version: 'v1', resource: 'namespaces' }).create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
      if (opts.startControllers !== false) controllers = startMeshControllers(system, abort.signal, { config: loadMeshConfig({}), log: cp.logger });
      lines.push(...(await scenario(cp, proxies, workloads, flips)));
    } finally {
      abort.abort();
      await controllers;
      await cp.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return lines;
}

// `node dist/bench/mesh-bench.js` runs it alone.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  runMeshBench().then(
    (lines) => console.log(lines.join('\n')),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
