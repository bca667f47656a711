// RBAC's cost per request: the same reads, made with a ServiceAccount token
// that a RoleBinding grants access (so every request walks real rules), against
// two control planes in one process, one authorizing with RBAC and one with
// AlwaysAllow. Rounds alternate between them so machine noise hits both.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startControlPlane, type ControlPlane } from '../controlplane/control-plane.js';
import { serveOptions } from '../controlplane/options.js';
import type { AuthorizationMode } from '../authz/create-authorizer.js';
import { JsonClient } from './http.js';

const RBAC = '/apis/rbac.authorization.k8s.io/v1';

async function pool(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => { while (next < n) await fn(next++); }));
}

async function must(p: Promise<{ status: number; body: unknown }>, want: number): Promise<unknown> {
  const r = await p;
  if (r.status !== want) throw new Error(`bench setup: expected ${want}, got ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

interface Target {
  cp: ControlPlane;
  dir: string;
  sa: JsonClient;
  admin: JsonClient;
}

async function setUp(mode: AuthorizationMode, objects: number, noiseBindings: number): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'wp-bench-rbac-'));
  const cp = await startControlPlane(serveOptions({ dataDir: dir, storage: 'memory', compactionIntervalSeconds: 0, authorizationMode: mode }));
  const admin = new JsonClient(cp.url, cp.adminToken, cp.caPem);
  await must(admin.send('POST', '/api/v1/namespaces', { metadata: { name: 'bench' } }), 201);
  await must(admin.send('POST', '/api/v1/namespaces/bench/serviceaccounts', { metadata: { name: 'reader' } }), 201);
  // Several rules before the one that matches, as a realistic role has.
  const rules = [
    { verbs: ['get', 'list', 'watch'], apiGroups: ['kuma.io'], resources: ['workloads', 'dataplanes'] },
    { verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['one'] },
    { verbs: ['create', 'update'], apiGroups: [''], resources: ['pods', 'pods/log'] },
    { verbs: ['get', 'list'], apiGroups: ['compute.miloapis.com'], resources: ['workloads', '*/scale'] },
    { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['configmaps'] },
  ];
  await must(admin.send('POST', `${RBAC}/namespaces/bench/roles`, { metadata: { name: 'reader' }, rules }), 201);
  await must(
    admin.send('POST', `${RBAC}/namespaces/bench/rolebindings`, {
      metadata: { name: 'reader' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'reader' }],
    }),
    201,
  );
  // Bindings for other subjects and namespaces: an index per subject never walks them.
  await pool(noiseBindings, 16, async (i) => {
    await must(
      admin.send('POST', `${RBAC}/clusterrolebindings`, {
        metadata: { name: `noise-${i}` },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: `user-${i}` }],
      }),
      201,
    );
  });
  await pool(objects, 16, async (i) => {
    await must(admin.send('POST', '/api/v1/namespaces/bench/configmaps', { metadata: { name: `cm-${i}` }, data: { k: 'v' } }), 201);
  });
  const tr = (await must(admin.send('POST', '/api/v1/namespaces/bench/serviceaccounts/reader/token', { spec: { expirationSeconds: 3600 } }), 201)) as { status: { token: string } };
  const sa = new JsonClient(cp.url, tr.status.token, cp.caPem);
  // The binding reaches the index through a watch: wait until it has.
  for (let i = 0; (await sa.send('GET', '/api/v1/namespaces/bench/configmaps/cm-0')).status !== 200; i++) {
    if (i > 500) throw new Error('bench setup: the ServiceAccount was never allowed');
    await new Promise((r) => setTimeout(r, 10));
  }
  return { cp, dir, sa, admin };
}

async function readRate(t: Target, n: number, objects: number, concurrency: number): Promise<number> {
  const t0 = performance.now();
  await pool(n, concurrency, async (i) => {
    const r = await t.sa.send('GET', `/api/v1/namespaces/bench/configmaps/cm-${i % objects}`);
    if (r.status !== 200) throw new Error(`read failed: ${r.status} ${JSON.stringify(r.body)}`);
  });
  return n / ((performance.now() - t0) / 1000);
}

export async function runRbacBench(opts: { n?: number; rounds?: number } = {}): Promise<string[]> {
  const n = opts.n ?? 3000;
  const rounds = opts.rounds ?? 6;
  const objects = 200;
  const noise = 500;
  const concurrency = 32;
  const rbac = await setUp('RBAC', objects, noise);
  const allow = await setUp('AlwaysAllow', objects, noise);
  try {
    // Warm up both (JIT, TLS sessions, token cache).
    await readRate(rbac, 1000, objects, concurrency);
    await readRate(allow, 1000, objects, concurrency);
    const r: number[] = [];
    const a: number[] = [];
    // Alternate which goes first, so neither always inherits the other's garbage.
    for (let i = 0; i < rounds; i++) {
      if (i % 2 === 0) {
        r.push(await readRate(rbac, n, objects, concurrency));
        a.push(await readRate(allow, n, objects, concurrency));
      } else {
        a.push(await readRate(allow, n, objects, concurrency));
        r.push(await readRate(rbac, n, objects, concurrency));
      }
    }
    const best = (xs: number[]) => Math.max(...xs);
    const ratio = best(r) / best(a);
    // The decision alone, in process: what RBAC adds to each request, free of network noise.
    const attrs = {
      user: { username: 'system:serviceaccount:bench:reader', groups: ['system:serviceaccounts', 'system:serviceaccounts:bench', 'system:authenticated'], extra: {} },
      verb: 'get',
      resourceRequest: true,
      apiGroup: '',
      apiVersion: 'v1',
      resource: 'configmaps',
      namespace: 'bench',
      name: 'cm-1',
    };
    const DECISIONS = 500_000;
    if (rbac.cp.authorizer.authorize(attrs).decision !== 'allow') throw new Error('bench: RBAC did not allow the bound ServiceAccount');
    const t0 = performance.now();
    for (let i = 0; i < DECISIONS; i++) rbac.cp.authorizer.authorize(attrs);
    const nsPer = ((performance.now() - t0) * 1e6) / DECISIONS;
    const share = (nsPer / 1e9) * best(a) * 100;
    return [
      `GETs/s with a ServiceAccount token bound by a RoleBinding (5-rule Role; ${noise} other bindings), ${concurrency} clients, best of ${rounds} rounds of ${n}:`,
      `  RBAC ${best(r).toFixed(0)}/s | AlwaysAllow ${best(a).toFixed(0)}/s | RBAC = ${(ratio * 100).toFixed(1)}% of AlwaysAllow (goal >= 95%)`,
      `  rounds RBAC ${r.map((x) => x.toFixed(0)).join(', ')} | AlwaysAllow ${a.map((x) => x.toFixed(0)).join(', ')}`,
      `  one RBAC decision in process: ${nsPer.toFixed(0)} ns = ${share.toFixed(2)}% of a request's time at the AlwaysAllow rate (ratio implied: ${(100 - share).toFixed(1)}%)`,
    ];
  } finally {
    for (const t of [rbac, allow]) {
      t.sa.close();
      t.admin.close();
      await t.cp.stop();
      rmSync(t.dir, { recursive: true, force: true });
    }
  }
}
