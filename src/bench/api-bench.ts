// API throughput as a client in another process sees it: creates/s, gets/s
// and merge patches/s under 64 keep-alive connections, each beside a bare
// node:https server answering the same JSON on the same core under the same
// load; and a list of 10,000 objects beside JSON.stringify of that list.

import { startBaseline } from './baseline-server.js';
import { BenchServer } from './bench-server.js';
import type { HttpLoadResult, RequestSpec, Target } from './load/jobs.js';
import { LoadWorker } from './load/workers.js';
import { cpuMsOf, launcher, type Placement } from './machine.js';
import { line, num } from './report.js';

export interface ApiBenchOptions {
  placement: Placement;
  storage: 'sqlite' | 'memory' | 'etcd';
  etcdEndpoints?: string[];
  seconds: number;
  /** A baseline figure of its own to print first (raw etcd puts/s on etcd). */
  rawStore?: { what: string; result: HttpLoadResult };
}

const CONNECTIONS = 64;
const PAYLOAD = 64;
const LIST_SIZE = 10_000;

type Measured = HttpLoadResult & { serverUs?: number };
const note = (r: Measured, base?: Measured) =>
  `p50 ${num(r.p50Ms)} ms, p99 ${num(r.p99Ms)} ms` +
  (r.serverUs !== undefined ? `, server CPU ${num(r.serverUs)} µs each${base?.serverUs !== undefined ? ` (baseline ${num(base.serverUs)} µs)` : ''}` : '') +
  `, client CPU ${num(r.cpu * 100)}%${base ? ` (${num(base.cpu * 100)}% on the baseline)` : ''}${r.failed ? `, ${r.failed} failed: ${r.firstError}` : ''}`;

export async function runApiBench(o: ApiBenchOptions): Promise<string[]> {
  const out: string[] = [];
  const server = await new BenchServer({ storage: o.storage, etcdEndpoints: o.etcdEndpoints, placement: o.placement }).start();
  const load = new LoadWorker(launcher(o.placement.load));
  try {
    await server.namespace('bench');
    await server.namespace('list');
    const ns = '/api/v1/namespaces/bench/configmaps';
    const created = await server.client.send('POST', ns, JSON.parse(`{"metadata":{"name":"probe"},"data":{"payload":"${'x'.repeat(PAYLOAD)}"}}`));
    if (created.status !== 201) throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
    const got = await server.client.send('GET', `${ns}/probe`);
    const baseline = await startBaseline({ ...server.servingCert(), objectJson: JSON.stringify(got.body) }, launcher(o.placement.server));
    const baseTarget: Target = { ...server.target, url: baseline.url };
    // Each run also reports the server's CPU time per answered request: less noisy than rates on a shared machine.
    const run = async (target: Target, request: RequestSpec, seconds = o.seconds) => {
      const pid = target === baseTarget ? baseline.pid : server.pid;
      const cpu0 = cpuMsOf(pid);
      const r = await load.run({ kind: 'http', target, request, connections: CONNECTIONS, seconds });
      return { ...r, serverUs: ((cpuMsOf(pid) - cpu0) * 1000) / r.ok };
    };
    try {
      const create = (prefix: string): RequestSpec => ({ method: 'POST', path: ns, body: { namePrefix: prefix, payloadBytes: PAYLOAD } });
      const get: RequestSpec = { method: 'GET', path: `${ns}/probe` };
      // Warm both (JIT, TLS sessions, caches) so neither is measured cold.
      await run(baseTarget, create('warm-'), 2);
      await run(server.target, create('warm-'), 2);
      await run(server.target, get, 1);
      if (o.rawStore) out.push(line({ what: `raw store: ${o.rawStore.what}`, value: o.rawStore.result.rate, unit: '/s', note: note(o.rawStore.result) }));
      const bc = await run(baseTarget, create('c-'));
      const ac = await run(server.target, create('c-'));
      out.push(line({ what: `creates/s (ConfigMap, ${o.storage})`, value: ac.rate, unit: '/s', baseline: { value: bc.rate, what: 'bare node:https' }, goal: { atLeast: 0.25, text: '≥ 25%' }, note: note(ac, bc) }));
      if (o.rawStore) out.push(line({ what: `creates/s vs ${o.rawStore.what}`, value: ac.rate, unit: '/s', baseline: { value: o.rawStore.result.rate, what: o.rawStore.what } }));
      const bg = await run(baseTarget, get);
      const ag = await run(server.target, get);
      out.push(line({ what: `gets/s (one ConfigMap, ${o.storage})`, value: ag.rate, unit: '/s', baseline: { value: bg.rate, what: 'bare node:https' }, goal: { atLeast: 0.8, text: '≥ 80%' }, note: note(ag, bg) }));

      // A list of exactly LIST_SIZE objects in a namespace of its own.
      const listPath = '/api/v1/namespaces/list/configmaps';
      const filled = await load.run({ kind: 'http', target: server.target, request: { method: 'POST', path: listPath, body: { namePrefix: 'l-', payloadBytes: PAYLOAD } }, connections: CONNECTIONS, amount: LIST_SIZE });
      if (filled.ok !== LIST_SIZE) throw new Error(`filling the list: ${filled.ok} of ${LIST_SIZE} created (${filled.firstError})`);
      const bp = await run(baseTarget, { method: 'PATCH', path: `${ns}/`, body: { namePrefix: 'l-', payloadBytes: PAYLOAD }, patchNames: LIST_SIZE });
      const ap = await run(server.target, { method: 'PATCH', path: `${listPath}/`, body: { namePrefix: 'l-', payloadBytes: PAYLOAD }, patchNames: LIST_SIZE });
      out.push(line({ what: `merge patches/s (${o.storage})`, value: ap.rate, unit: '/s', baseline: { value: bp.rate, what: 'bare node:https' }, note: note(ap, bp) }));
      const list = await load.run({ kind: 'list', target: server.target, path: listPath, times: 10 });
      const body = await server.client.send('GET', listPath);
      const stringify = timeStringify(body.body);
      out.push(line({ what: `list of ${num(LIST_SIZE)} ConfigMaps (${num(list.bytes / 2 ** 20)} MiB)`, value: list.p50Ms, unit: 'ms', baseline: { value: stringify, what: 'JSON.stringify of the list' }, ratio: 'times', goal: { atMost: 3, text: '≤ 3×' }, note: `best ${num(list.minMs)} ms` }));
    } finally {
      await baseline.stop();
    }
  } finally {
    load.close();
    await server.cleanup();
  }
  return out;
}

/** Median time of JSON.stringify of `value`, in this (load-side) process. */
function timeStringify(value: unknown): number {
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    JSON.stringify(value);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[7];
}
