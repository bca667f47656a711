// `npm run bench`: API server throughput, each figure printed beside a baseline
// measured in the same run (the raw storage engine), as a ratio, because this
// machine is shared and noisy.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startControlPlane } from '../controlplane/control-plane.js';
import { serveOptions } from '../controlplane/options.js';
import { openStore } from '../storage/open-store.js';
import { JsonClient } from './http.js';
import { runSchedulerBench } from './scheduler-bench.js';
import { runMeshBench } from './mesh-bench.js';
import { runComputeBench } from './compute-bench.js';
import { runIdentityBench } from './identity-bench.js';
import { runRbacBench } from './rbac-bench.js';

const N = Number(process.env.BENCH_N ?? 3000);
const CONCURRENCY = 32;

async function pool(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

async function rawStorageRate(kind: 'sqlite' | 'memory'): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'wp-bench-raw-'));
  const store = await openStore({ kind, dataDir: dir });
  const value = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'bench' }, data: { k: 'v'.repeat(64) } });
  const t0 = performance.now();
  await pool(N, CONCURRENCY, async (i) => {
    await store.create(`/registry/core/configmaps/bench/cm-${i}`, value);
  });
  const rate = N / ((performance.now() - t0) / 1000);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return rate;
}

async function apiRates(kind: 'sqlite' | 'memory') {
  const dir = mkdtempSync(join(tmpdir(), 'wp-bench-api-'));
  const cp = await startControlPlane(serveOptions({ dataDir: dir, storage: kind, compactionIntervalSeconds: 0 }));
  const c = new JsonClient(cp.url, cp.adminToken, cp.caPem);
  await c.send('POST', '/api/v1/namespaces', { metadata: { name: 'bench' } });
  await c.send('POST', '/api/v1/namespaces', { metadata: { name: 'warmup' } });
  // Warm up (JIT, TLS sessions, caches) so the first backend measured is not penalized.
  await pool(500, CONCURRENCY, async (i) => {
    await c.send('POST', '/api/v1/namespaces/warmup/configmaps', { metadata: { name: `w-${i}` }, data: { k: 'v' } });
  });
  const t0 = performance.now();
  await pool(N, CONCURRENCY, async (i) => {
    const r = await c.send('POST', '/api/v1/namespaces/bench/configmaps', { metadata: { name: `cm-${i}` }, data: { k: 'v'.repeat(64) } });
    if (r.status !== 201) throw new Error(`create failed: ${r.status} ${JSON.stringify(r.body)}`);
  });
  const create = N / ((performance.now() - t0) / 1000);
  const t1 = performance.now();
  const LISTS = 20;
  for (let i = 0; i < LISTS; i++) {
    const r = await c.send('GET', '/api/v1/namespaces/bench/configmaps');
    if (r.status !== 200) throw new Error('list failed');
  }
  const listMs = (performance.now() - t1) / LISTS;
  const t2 = performance.now();
  await pool(N, CONCURRENCY, async (i) => {
    const r = await c.send('PATCH', `/api/v1/namespaces/bench/configmaps/cm-${i}`, { data: { k: 'updated' } }, 'application/merge-patch+json');
    if (r.status !== 200) throw new Error(`patch failed: ${r.status}`);
  });
  const patch = N / ((performance.now() - t2) / 1000);
  c.close();
  await cp.stop();
  rmSync(dir, { recursive: true, force: true });
  return { create, patch, listMs };
}

const fmt = (n: number) => n.toFixed(0).padStart(7);

const only = new Set((process.env.BENCH_ONLY ?? 'api,rbac,scheduler,mesh,compute,identity').split(','));

async function main() {
  if (only.has('api')) {
    console.log(`== API server: ${N} objects, ${CONCURRENCY} concurrent clients over HTTPS (node ${process.versions.node})`);
    for (const kind of ['memory', 'sqlite'] as const) {
      const raw = await rawStorageRate(kind);
      const api = await apiRates(kind);
      console.log(`${kind.padEnd(7)} raw storage creates/s ${fmt(raw)} | API creates/s ${fmt(api.create)} (${((api.create / raw) * 100).toFixed(1)}% of raw) | API merge patches/s ${fmt(api.patch)} | list of ${N} ${api.listMs.toFixed(1)} ms`);
    }
  }
  if (only.has('rbac')) {
    console.log('\n== Authorization');
    for (const line of await runRbacBench()) console.log(line);
  }
  if (only.has('scheduler')) {
    console.log('\n== Scheduler');
    for (const line of await runSchedulerBench()) console.log(line);
  }
  if (only.has('mesh')) {
    console.log('\n== Mesh workloads');
    for (const line of await runMeshBench({ startControllers: false })) console.log(line);
  }
  if (only.has('identity')) {
    console.log('\n== Identity');
    for (const line of await runIdentityBench()) console.log(line);
  }
  if (only.has('compute')) {
    console.log('\n== Compute workloads');
    for (const line of await runComputeBench()) console.log(line);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
