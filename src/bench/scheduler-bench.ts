// Scheduler benchmark. End to end: an in-process control plane with 5,000
// Node objects (no agents), pods created over HTTPS and bound by a Scheduler
// over the in-process client; we time from the first create until every pod
// is bound, for 10,000 plain pods and for 1,000 gangs of 8. The baseline,
// measured in the same run, is the API's pod-create rate alone (same pods,
// nobody scheduling them): a scheduler that keeps up runs near 100% of it.
// Then the placement core alone: placements/s over a synthetic cache.
// SCHED_BENCH_EVENTS=0 leaves out the `Scheduled` event per pod (one write
// of three); SCHED_BENCH_NODES/PODS/GANGS scale the run down.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KObject } from '../api/object.js';
import { schedulingWorkloadDefinition } from '../api/scheduling/index.js';
import { EventRecorder } from '../client/event-recorder.js';
import { InProcessClient } from '../client/in-process-client.js';
import { silentLogger } from '../client/logger.js';
import { startControlPlane } from '../controlplane/control-plane.js';
import { serveOptions } from '../controlplane/options.js';
import { SchedulerCache } from '../scheduler/cache.js';
import { GangPlanner } from '../scheduler/gang-planner.js';
import { podInfo } from '../scheduler/pod-info.js';
import { placePod } from '../scheduler/placement.js';
import { registryBinder, type Binder } from '../scheduler/binder.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { nodeObject, podObject } from '../scheduler/testing.js';
import type { Registry } from '../registry/registry.js';
import type { StoreKind } from '../storage/open-store.js';
import { JsonClient } from './http.js';

export interface SchedulerBenchOptions {
  storage?: StoreKind[];
  nodes?: number;
  pods?: number;
  gangs?: number;
  gangSize?: number;
  concurrency?: number;
}

// Pods in the bench name their own scheduler, so a default scheduler the
// control plane may run itself never competes with the one measured here.
const SCHEDULER = 'bench-scheduler';
const env = (k: string, d: number) => Number(process.env[k] ?? d);

async function pool(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await fn(next++);
  }));
}

const rate = (n: number, ms: number) => (n / ms) * 1000;
const fmt = (n: number) => n.toFixed(0).padStart(6);

/** Counts successful bindings and resolves once `target` is reached. */
function countingBinder(inner: Binder) {
  let bound = 0;
  let target = Infinity;
  let done: () => void = () => {};
  return {
    binder: {
      async bind(pod: KObject, node: string) {
        await inner.bind(pod, node);
        if (++bound >= target) done();
      },
    } satisfies Binder,
    until(n: number): Promise<void> {
      target = n;
      return bound >= n ? Promise.resolve() : new Promise((r) => (done = r));
    },
  };
}

const podBody = (name: string, scheduler: string, extra: Record<string, unknown> = {}) => {
  const p = podObject('', name, { cpu: '100m', memory: '128Mi', schedulerName: scheduler });
  delete p.metadata.namespace;
  Object.assign(p.spec as object, extra);
  return p;
};

async function endToEnd(kind: StoreKind, o: Required<SchedulerBenchOptions>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'wp-bench-sched-'));
  const cp = await startControlPlane(serveOptions({ dataDir: dir, storage: kind, compactionIntervalSeconds: 0 }));
  const lines: string[] = [];
  const http = new JsonClient(cp.url, cp.adminToken, cp.caPem);
  const client = new InProcessClient(cp.registry, { fieldManager: 'bench', log: silentLogger });
  const ac = new AbortController();
  try {
    // The control plane serves the Workload kind; one that does not yet gets it here, before the scheduler looks.
    if (!cp.registry.lookup('scheduling.k8s.io', 'v1alpha1', 'workloads')) cp.registry.add(schedulingWorkloadDefinition);
    const nodes = client.resource({ group: '', version: 'v1', resource: 'nodes' });
    await pool(o.nodes, 16, async (i) => {
      const n = nodeObject(`node-${i}`, { cpu: '8', memory: '32Gi', pods: 110 });
      const created = await nodes.create(undefined, n);
      await nodes.updateStatus(undefined, { ...created, status: n.status });
    });
    for (const ns of ['baseline', 'bench', 'gangs']) await http.send('POST', '/api/v1/namespaces', { metadata: { name: ns } });

    // Baseline: the same pods, created the same way, that nobody schedules.
    const post = (ns: string, body: KObject) => async () => {
      const r = await http.send('POST', `/api/v1/namespaces/${ns}/pods`, body);
      if (r.status !== 201) throw new Error(`create failed: ${r.status} ${JSON.stringify(r.body)}`);
    };
    await pool(1000, o.concurrency, (i) => post('baseline', podBody(`warm-${i}`, 'nobody'))());
    let t0 = performance.now();
    await pool(o.pods, o.concurrency, (i) => post('baseline', podBody(`p-${i}`, 'nobody'))());
    const createRate = rate(o.pods, performance.now() - t0);

    const counting = countingBinder(registryBinder(cp.registry));
    const events = new EventRecorder(client, { component: SCHEDULER, log: silentLogger });
    const scheduledEvents = process.env.SCHED_BENCH_EVENTS !== '0';
    const scheduler = new Scheduler({ client, binder: counting.binder, events, schedulerName: SCHEDULER, log: silentLogger, scheduledEvents });
    const running = scheduler.start(ac.signal);

    t0 = performance.now();
    const allBound = counting.until(o.pods);
    await pool(o.pods, o.concurrency, (i) => post('bench', podBody(`p-${i}`, SCHEDULER))());
    const createdMs = performance.now() - t0;
    await allBound;
    const e2eMs = performance.now() - t0;
    const e2e = rate(o.pods, e2eMs);
    lines.push(
      `${kind.padEnd(7)} ${o.pods} pods on ${o.nodes} nodes: bound/s ${fmt(e2e)} end to end (${(e2eMs / 1000).toFixed(2)} s; last bind ${(e2eMs - createdMs).toFixed(0)} ms after last create) | API pod creates/s alone ${fmt(createRate)} | ${((e2e / createRate) * 100).toFixed(0)}% of baseline`,
    );

    if (o.gangs > 0) lines.push(await gangRun(kind, o, createRate, cp.registry, counting.until, (p) => post('gangs', p)()));
    lines.push(`${kind.padEnd(7)} check: ${verify(scheduler.cache)}; ${scheduler.stats.bindFailures} binding failures, ${scheduler.stats.unschedulableAttempts} unschedulable attempts, ${scheduler.stats.conditionWrites} condition writes`);
    ac.abort();
    await running;
    await events.flush();
  } finally {
    ac.abort();
    http.close();
    await cp.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

/** 1,000 Workloads with one gang each, then their pods; timed until every member is bound. */
async function gangRun(
  kind: StoreKind,
  o: Required<SchedulerBenchOptions>,
  createRate: number,
  registry: Registry,
  until: (n: number) => Promise<void>,
  post: (body: KObject) => Promise<void>,
): Promise<string> {
  const workloads = new InProcessClient(registry, { log: silentLogger }).resource({ group: 'scheduling.k8s.io', version: 'v1alpha1', resource: 'workloads' });
  await pool(o.gangs, 16, async (g) => {
    await workloads.create('gangs', {
      apiVersion: 'scheduling.k8s.io/v1alpha1',
      kind: 'Workload',
      metadata: { name: `job-${g}`, namespace: 'gangs' },
      spec: { podGroups: [{ name: 'workers', policy: { gang: { minCount: o.gangSize } } }] },
    });
  });
  const gangPods = o.gangs * o.gangSize;
  const t0 = performance.now();
  const bound = until(o.pods + gangPods);
  await pool(gangPods, o.concurrency, (i) => {
    const g = Math.floor(i / o.gangSize);
    return post(podBody(`job-${g}-${i % o.gangSize}`, SCHEDULER, { workloadRef: { name: `job-${g}`, podGroup: 'workers' } }));
  });
  await bound;
  const ms = performance.now() - t0;
  return `${kind.padEnd(7)} ${o.gangs} gangs of ${o.gangSize}: bound pods/s ${fmt(rate(gangPods, ms))} end to end (${(ms / 1000).toFixed(2)} s) | ${((rate(gangPods, ms) / createRate) * 100).toFixed(0)}% of baseline`;
}

/** No node holds more than it has. */
function verify(cache: SchedulerCache): string {
  let pods = 0;
  let over = 0;
  let most = 0;
  for (const n of cache.nodes) {
    pods += n.pods;
    most = Math.max(most, n.pods);
    if (n.cpu > n.allocCpu || n.memory > n.allocMemory || n.pods > n.allocPods) over++;
  }
  return `${pods} pods counted, at most ${most} on a node, ${over} nodes over capacity`;
}

/** The placement core alone: no API, no informers. */
function core(nodes: number, n: number, gangSize: number): string[] {
  const cache = new SchedulerCache();
  for (let i = 0; i < nodes; i++) {
    const taints = i % 10 === 0 ? [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] : undefined;
    cache.upsertNode(nodeObject(`node-${i}`, { cpu: '64', memory: '256Gi', pods: 1000, labels: { zone: `z${i % 3}` }, taints }));
  }
  const mk = (i: number, extra: Record<string, unknown> = {}) => {
    const p = podObject('ns', `p-${i}`, { cpu: '100m', memory: '128Mi' });
    p.metadata.uid = `u-${i}`;
    Object.assign(p.spec as object, extra);
    return podInfo(p);
  };
  const plain = Array.from({ length: n }, (_, i) => mk(i));
  let t0 = performance.now();
  for (const pi of plain) cache.assume(pi, placePod(cache, pi).node!);
  const plainRate = rate(n, performance.now() - t0);
  const picky = Array.from({ length: n }, (_, i) => mk(n + i, { nodeSelector: { zone: 'z1' } }));
  t0 = performance.now();
  for (const pi of picky) cache.assume(pi, placePod(cache, pi).node!);
  const pickyRate = rate(n, performance.now() - t0);
  const planner = new GangPlanner(cache, {});
  const gangs = Math.floor(n / gangSize);
  const members = Array.from({ length: gangs }, (_, g) => Array.from({ length: gangSize }, (_, j) => mk(2 * n + g * gangSize + j).pod));
  t0 = performance.now();
  for (const m of members) planner.plan('g', m, m, gangSize, () => false);
  const gangRate = rate(gangs * gangSize, performance.now() - t0);
  return [
    `core    ${nodes} nodes: placements/s ${fmt(plainRate)} (plain pods) | ${fmt(pickyRate)} (nodeSelector, 10% tainted nodes) | ${fmt(gangRate)} (gangs of ${gangSize}, pods/s)`,
  ];
}

export async function runSchedulerBench(opts: SchedulerBenchOptions = {}): Promise<string[]> {
  const o: Required<SchedulerBenchOptions> = {
    storage: opts.storage ?? ['memory', 'sqlite'],
    nodes: opts.nodes ?? env('SCHED_BENCH_NODES', 5000),
    pods: opts.pods ?? env('SCHED_BENCH_PODS', 10_000),
    gangs: opts.gangs ?? env('SCHED_BENCH_GANGS', 1000),
    gangSize: opts.gangSize ?? 8,
    concurrency: opts.concurrency ?? 64,
  };
  const lines = [`scheduler: ${o.nodes} nodes, ${o.pods} pods, ${o.gangs} gangs of ${o.gangSize}, ${o.concurrency} concurrent HTTPS clients`];
  lines.push(...core(o.nodes, 50_000, o.gangSize));
  for (const kind of o.storage) lines.push(...(await endToEnd(kind, o)));
  return lines;
}
