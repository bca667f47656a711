// Open-loop creates at a fixed rate (as a busy controller or user would write,
// whether or not the server keeps up), each object stamped with its send time
// so watchers in another process can time its delivery. In-flight requests
// are capped: a server that falls behind shows as a lower achieved rate.

import { Agent, request } from 'node:https';
import { configMap, cpuShare, percentile, type PacedWritesJob, type PacedWritesResult } from './jobs.js';

const TICK_MS = 2;

export function runPacedWrites(job: PacedWritesJob): Promise<PacedWritesResult> {
  const { target } = job;
  const agent = new Agent({ keepAlive: true, maxSockets: job.maxInFlight, ca: target.ca, servername: 'localhost' });
  const url = new URL(job.path, target.url);
  const total = Math.round(job.rate * job.seconds);
  const latencies: number[] = [];
  let sent = 0;
  let ok = 0;
  let failed = 0;
  let inFlight = 0;
  let firstError: string | undefined;
  let lastAck = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();

  return new Promise((resolve) => {
    const finishIfDone = () => {
      if (sent < total || inFlight > 0) return;
      clearInterval(timer);
      agent.destroy();
      const wall = performance.now() - t0;
      latencies.sort((a, b) => a - b);
      resolve({
        sent,
        ok,
        failed,
        rate: ok / ((lastAck - t0) / 1000),
        createP50Ms: percentile(latencies, 0.5),
        createP99Ms: percentile(latencies, 0.99),
        cpu: cpuShare(cpu0, wall),
        firstError,
      });
    };
    const send = () => {
      const seq = sent++;
      inFlight++;
      const start = performance.now();
      const body = configMap(`${job.namePrefix}${seq}`, job.payloadBytes, { t: String(Number(process.hrtime.bigint())) });
      const req = request(url, {
        method: 'POST',
        agent,
        headers: { Authorization: `Bearer ${target.token}`, 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': Buffer.byteLength(body) },
      });
      const done = (good: boolean, why?: string) => {
        inFlight--;
        lastAck = performance.now();
        if (good) {
          ok++;
          latencies.push(lastAck - start);
        } else {
          failed++;
          firstError ??= why;
        }
        finishIfDone();
      };
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => done(res.statusCode === 201, `${res.statusCode} ${text.slice(0, 300)}`));
      });
      req.on('error', (e) => done(false, e.message));
      req.end(body);
    };
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * job.rate));
      while (sent < due && inFlight < job.maxInFlight) send();
      finishIfDone();
    }, TICK_MS);
  });
}
