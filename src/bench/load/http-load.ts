// Closed-loop HTTPS load with autocannon (its own HTTP/1.1 client over raw
// TLS sockets, much lighter per request than node:https's client), keep-alive
// connections, unique names for creates.

import { createRequire } from 'node:module';
import { configMap, cpuShare, type HttpLoadJob, type HttpLoadResult } from './jobs.js';

interface AutocannonRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
  onResponse?: (status: number, body: string) => void;
}

interface AutocannonResult {
  duration: number;
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latency: { p50: number; p99: number };
}

type Autocannon = (opts: Record<string, unknown>, cb: (err: Error | null, res: AutocannonResult) => void) => { stop(): void };

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export function runHttpLoad(job: HttpLoadJob): Promise<HttpLoadResult> {
  const { request: spec, target } = job;
  const headers: Record<string, string> = { authorization: `Bearer ${target.token}`, accept: 'application/json' };
  let n = 0;
  let firstError: string | undefined;
  const req: AutocannonRequest = { method: spec.method, path: spec.path, headers };
  if (spec.method === 'POST' && spec.body) {
    const { namePrefix, payloadBytes } = spec.body;
    headers['content-type'] = 'application/json';
    req.setupRequest = (r) => ({ ...r, body: configMap(`${namePrefix}${n++}`, payloadBytes) });
  } else if (spec.method === 'PATCH' && spec.body) {
    const { namePrefix, payloadBytes } = spec.body;
    const names = spec.patchNames ?? 1;
    headers['content-type'] = 'application/merge-patch+json';
    req.setupRequest = (r) => ({ ...r, path: `${spec.path}${namePrefix}${n % names}`, body: JSON.stringify({ data: { payload: `${n++}`.padEnd(payloadBytes, 'y') } }) });
  }
  req.onResponse = (status, body) => {
    if ((status < 200 || status > 299) && !firstError) firstError = `${status} ${body.slice(0, 300)}`;
  };
  const u = new URL(target.url);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${u.protocol}//${u.host}`,
        connections: job.connections,
        ...(job.amount ? { amount: job.amount } : { duration: job.seconds }),
        requests: [req],
        servername: 'localhost',
        tlsOptions: { ca: target.ca },
        timeout: 30,
      },
      (err, res) => {
        if (err) return reject(err);
        const wall = performance.now() - t0;
        resolve({
          rate: res['2xx'] / (wall / 1000),
          ok: res['2xx'],
          failed: res.non2xx + res.errors + res.timeouts,
          p50Ms: res.latency.p50,
          p99Ms: res.latency.p99,
          cpu: cpuShare(cpu0, wall),
          firstError,
        });
      },
    );
  });
}
