// Workload benchmark. In one process over the in-process client (no HTTP):
// a registry on memory storage, the scheduler, 100 simulated nodes (the node
// agent's simulated runtime) and the compute controllers. One Workload of
// 1,000 replicas is timed from apply until Running (every pod Ready), then an
// image change is timed until every pod runs the new template, rolled one pod
// at a time as the spec demands. The baseline, measured first in the same
// run, is the API's raw pod-create rate (the same pods created directly,
// nobody scheduling or running them): Running at a large fraction of it
// means the controller, scheduler and agents keep up with the API.
// In the same run, an apps/v1 Deployment of as many replicas is timed from
// apply until every pod is Running and available (Deployment → ReplicaSet →
// pods), beside the compute Workload figure.
// COMPUTE_BENCH_REPLICAS / COMPUTE_BENCH_NODES scale the run down.

import { setMaxListeners } from 'node:events';
import { computeWorkloadDefinition, networkDefinition, projectDefinition } from '../api/compute/index.js';
import { appsDefinitions } from '../api/apps/index.js';
import { coreDefinitions } from '../api/core/index.js';
import type { KObject } from '../api/object.js';
import { startInProcessAgent } from '../agent/in-process.js';
import { EventRecorder } from '../client/event-recorder.js';
import { InProcessClient } from '../client/in-process-client.js';
import { silentLogger } from '../client/logger.js';
import { DEPLOYMENTS, startAppsControllers } from '../controllers/apps/index.js';
import { computeAdmissionPlugins, startComputeControllers } from '../controllers/compute/index.js';
import { PODS, WORKLOADS } from '../controllers/compute/resources.js';
import { AdmissionChain } from '../registry/admission.js';
import { Registry } from '../registry/registry.js';
import { WatchCache } from '../registry/watch-cache.js';
import { registryBinder } from '../scheduler/binder.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { openStore } from '../storage/open-store.js';

const env = (k: string, d: number) => Number(process.env[k] ?? d);
const CONCURRENCY = 32;

async function pool(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await fn(next++);
  }));
}

const podBody = (name: string): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { schedulerName: 'nobody', containers: [{ name: 'nginx', image: 'nginx:1.25', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
});

const workload = (replicas: number): KObject => ({
  apiVersion: 'compute.miloapis.com/v1alpha1',
  kind: 'Workload',
  metadata: { name: 'web-app' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web-app' } },
    template: {
      metadata: { labels: { app: 'web-app' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } } }] },
    },
  },
});

const deployment = (replicas: number): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } } }] },
    },
  },
});

/** Resolves once `check` holds, looking after every change of the watched resource (and every 50 ms, in case). */
function until(check: () => Promise<boolean>): Promise<void> {
  return new Promise((resolve, reject) => {
    const tick = () => check().then((ok) => (ok ? resolve() : setTimeout(tick, 50)), reject);
    tick();
  });
}

export async function runComputeBench(): Promise<string[]> {
  const replicas = env('COMPUTE_BENCH_REPLICAS', 1000);
  const nodes = env('COMPUTE_BENCH_NODES', 100);
  const storage = await openStore({ kind: 'memory' });
  const cache = new WatchCache(storage);
  await cache.start();
  const admission = new AdmissionChain();
  const registry = new Registry({ storage, cache, admission });
  for (const d of [...coreDefinitions, computeWorkloadDefinition, networkDefinition, projectDefinition, ...appsDefinitions]) registry.add(d);
  for (const p of computeAdmissionPlugins(registry)) admission.register(p);
  const client = new InProcessClient(registry, { fieldManager: 'bench', log: silentLogger });
  const ac = new AbortController();
  setMaxListeners(0, ac.signal);
  const lines: string[] = [];
  const stops: (() => Promise<unknown>)[] = [];
  try {
    // Baseline: the API's own pod-create rate, before anything else runs.
    const pods = client.resource(PODS);
    await pool(200, CONCURRENCY, async (i) => void (await pods.create('warmup', podBody(`w-${i}`))));
    let t0 = performance.now();
    await pool(replicas, CONCURRENCY, async (i) => void (await pods.create('baseline', podBody(`p-${i}`))));
    const createRate = (replicas / (performance.now() - t0)) * 1000;

    const agent = await startInProcessAgent(client, { nodes, namePrefix: 'bench-node', cpu: '64', memory: '256Gi', pods: 250, log: silentLogger, simulation: { startJitterMs: 0 } });
    stops.push(() => agent.stop());
    const events = new EventRecorder(client, { component: 'default-scheduler', log: silentLogger });
    const scheduler = new Scheduler({ client, binder: registryBinder(registry), events, log: silentLogger });
    const runs = [scheduler.start(ac.signal), startComputeControllers(client, ac.signal, { log: silentLogger }), startAppsControllers(client, ac.signal, { log: silentLogger })];
    stops.push(async () => {
      ac.abort();
      await Promise.all(runs);
    });

    const workloads = client.resource(WORKLOADS);
    const ns = 'project-bench';
    // Status of the latest generation only: a status from before a change says nothing about it.
    const status = async () => {
      const w = await workloads.get(ns, 'web-app');
      const st = (w?.status ?? {}) as Record<string, unknown>;
      return st.observedGeneration === w?.metadata.generation ? st : {};
    };
    t0 = performance.now();
    await workloads.create(ns, workload(replicas));
    await until(async () => {
      const st = await status();
      return st.phase === 'Running' && st.readyReplicas === replicas;
    });
    const runMs = performance.now() - t0;
    const runRate = (replicas / runMs) * 1000;
    lines.push(
      `compute  Workload of ${replicas} on ${nodes} simulated nodes: apply → Running ${(runMs / 1000).toFixed(2)} s, pods Ready/s ${runRate.toFixed(0).padStart(6)} | API pod creates/s alone ${createRate.toFixed(0).padStart(6)} | ${((runRate / createRate) * 100).toFixed(0)}% of baseline`,
    );

    t0 = performance.now();
    await workloads.patch(ns, 'web-app', 'json', [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.26' }]);
    await until(async () => {
      const st = await status();
      return st.phase === 'Running' && st.updatedReplicas === replicas && st.readyReplicas === replicas && st.replicas === replicas;
    });
    const rollMs = performance.now() - t0;
    lines.push(
      `compute  image roll-out of ${replicas} pods, one at a time (surge 1, unavailable 0): ${(rollMs / 1000).toFixed(2)} s, ${(rollMs / replicas).toFixed(1)} ms per pod replaced (scheduler, agent start and Ready, then the old pod's deletion, in series)`,
    );

    const deployments = client.resource(DEPLOYMENTS);
    t0 = performance.now();
    await deployments.create('bench-apps', deployment(replicas));
    await until(async () => {
      const d = await deployments.get('bench-apps', 'web');
      const st = (d?.status ?? {}) as Record<string, unknown>;
      return st.observedGeneration === d?.metadata.generation && st.availableReplicas === replicas && st.updatedReplicas === replicas && st.replicas === replicas;
    });
    const running = (await pods.list('bench-apps')).items.filter((p) => (p.status as { phase?: string } | undefined)?.phase === 'Running').length;
    if (running !== replicas) throw new Error(`deployment bench: ${running} of ${replicas} pods Running`);
    const depMs = performance.now() - t0;
    const depRate = (replicas / depMs) * 1000;
    lines.push(
      `apps     Deployment of ${replicas} on ${nodes} simulated nodes: apply → all pods Running ${(depMs / 1000).toFixed(2)} s, pods Running/s ${depRate.toFixed(0).padStart(6)} | compute Workload above ${(runMs / 1000).toFixed(2)} s | ${((depRate / createRate) * 100).toFixed(0)}% of API creates/s`,
    );
    await events.flush();
  } finally {
    for (const stop of stops.reverse()) await stop();
    cache.stop();
    await storage.close();
  }
  return lines;
}

// `node dist/bench/compute-bench.js` runs it alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  runComputeBench().then(
    (lines) => {
      for (const l of lines) console.log(l);
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
