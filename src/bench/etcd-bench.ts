// The API figures on etcd: an etcd member on the server cores (beside
// `workplane serve --storage etcd`), raw etcd puts/s from the load side as the
// storage baseline, then the create/get/list and watch figures against it.

import { startEtcd } from '../testing/etcd-server.js';
import { runApiBench } from './api-bench.js';
import { LoadWorker } from './load/workers.js';
import { launcher, type Placement } from './machine.js';
import { runScaleBench } from './scale-bench.js';
import { runWatchBench } from './watch-bench.js';

export interface EtcdBenchOptions {
  placement: Placement;
  seconds: number;
  rate: number;
  watchers: number;
  /** Also the 100,000-object memory and restart figures (long). */
  objects?: number;
}

export async function runEtcdBench(o: EtcdBenchOptions): Promise<string[]> {
  const etcd = await startEtcd({ launcher: launcher(o.placement.server) });
  const load = new LoadWorker(launcher(o.placement.load));
  try {
    const raw = await load.run({ kind: 'etcd-puts', endpoints: etcd.endpoints, connections: 64, seconds: o.seconds, payloadBytes: 400 });
    load.close();
    const common = { placement: o.placement, storage: 'etcd' as const, etcdEndpoints: etcd.endpoints };
    const out = await runApiBench({ ...common, seconds: o.seconds, rawStore: { what: 'etcd puts/s (etcd3 client, 64 concurrent)', result: raw } });
    out.push(...(await runWatchBench({ ...common, seconds: o.seconds, rate: o.rate, watchers: o.watchers })));
    if (o.objects) out.push(...(await runScaleBench({ ...common, objects: o.objects })));
    return out;
  } finally {
    load.close();
    await etcd.stop();
  }
}
