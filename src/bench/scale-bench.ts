// Memory and restart at scale: 100,000 ConfigMaps of 1 KiB created through
// the API; the server's resident memory holding them (beside the same server
// empty), then a restart on the same data: time until /readyz answers
// (beside the restart of the same server empty) and memory after it.

import { BenchServer } from './bench-server.js';
import { LoadWorker } from './load/workers.js';
import { launcher, type Placement } from './machine.js';
import { line, num } from './report.js';

export interface ScaleBenchOptions {
  placement: Placement;
  storage: 'sqlite' | 'etcd';
  etcdEndpoints?: string[];
  objects: number;
}

const MiB = 2 ** 20;
const settle = () => new Promise((r) => setTimeout(r, 3000));

/** Stops `s` and starts it again on the same data and port; resolves with the seconds until it was ready. */
async function restart(s: BenchServer): Promise<number> {
  await s.proc.stop();
  const t0 = performance.now();
  await s.start();
  return (performance.now() - t0) / 1000;
}

export async function runScaleBench(o: ScaleBenchOptions): Promise<string[]> {
  const server = await new BenchServer({ storage: o.storage, etcdEndpoints: o.etcdEndpoints, placement: o.placement }).start();
  const load = new LoadWorker(launcher(o.placement.load));
  try {
    const emptyStart = await restart(server);
    await settle();
    const idle = server.rss();
    await server.namespace('scale');
    const filled = await load.run({
      kind: 'http',
      target: server.target,
      request: { method: 'POST', path: '/api/v1/namespaces/scale/configmaps', body: { namePrefix: 's-', payloadBytes: 1024 } },
      connections: 64,
      amount: o.objects,
    });
    if (filled.ok !== o.objects) throw new Error(`${filled.ok} of ${o.objects} created (${filled.firstError})`);
    await settle();
    const full = server.rss();
    const restartFull = await restart(server);
    await settle();
    const after = server.rss();
    const what = `${num(o.objects)} ConfigMaps of 1 KiB, ${o.storage}`;
    return [
      line({ what: `RSS with ${what}`, value: full / MiB, unit: 'MiB', baseline: { value: idle / MiB, what: 'the same server empty' }, ratio: 'times', goal: { on: 'value', atMost: 1024, text: '≤ 1 GiB' }, note: `created at ${num(filled.rate)}/s` }),
      line({ what: `restart until /readyz (${what})`, value: restartFull, unit: 's', baseline: { value: emptyStart, what: 'restart of the server empty' }, ratio: 'times', goal: { on: 'value', atMost: 10, text: '≤ 10 s' }, note: `RSS after restart ${num(after / MiB)} MiB` }),
    ];
  } finally {
    load.close();
    await server.cleanup();
  }
}
