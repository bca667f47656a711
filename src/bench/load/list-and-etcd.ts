// Two small jobs: timing a large list over HTTPS to its last byte, and raw
// etcd puts (the baseline of API creates on etcd) with the etcd3 client the
// server itself uses.

import { request } from 'node:https';
import { Etcd3 } from 'etcd3';
import { cpuShare, percentile, type EtcdPutsJob, type HttpLoadResult, type ListJob, type ListResult } from './jobs.js';

export async function runList(job: ListJob): Promise<ListResult> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < job.times; i++) {
    const t0 = performance.now();
    bytes = await getBytes(job);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50Ms: percentile(times, 0.5), minMs: times[0], bytes };
}

function getBytes(job: ListJob): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(job.path, job.target.url), { agent: false, ca: job.target.ca, servername: 'localhost', headers: { Authorization: `Bearer ${job.target.token}`, Accept: 'application/json' } }, (res) => {
      let n = 0;
      res.on('data', (c: Buffer) => (n += c.length));
      res.on('end', () => (res.statusCode === 200 ? resolve(n) : reject(new Error(`list answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

export async function runEtcdPuts(job: EtcdPutsJob): Promise<HttpLoadResult> {
  const client = new Etcd3({ hosts: job.endpoints });
  const value = 'x'.repeat(job.payloadBytes);
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  let firstError: string | undefined;
  let n = 0;
  await client.put('/bench/warmup').value(value);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + job.seconds * 1000;
  await Promise.all(
    Array.from({ length: job.connections }, async () => {
      while (performance.now() < end) {
        const s = performance.now();
        try {
          await client.put(`/bench/raw/k-${n++}`).value(value);
          ok++;
          latencies.push(performance.now() - s);
        } catch (e) {
          failed++;
          firstError ??= (e as Error).message;
        }
      }
    }),
  );
  const wall = performance.now() - t0;
  client.close();
  latencies.sort((a, b) => a - b);
  return { rate: ok / (wall / 1000), ok, failed, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), cpu: cpuShare(cpu0, wall), firstError };
}
