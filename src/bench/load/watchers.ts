// Many watchers in one process, each on its own HTTPS connection, timing each
// event from the writer's send stamp to its arrival. Lines are scanned, not
// parsed, so the watchers stay cheap next to the server they measure.

import type { ClientRequest, IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { cpuShare, percentile, type WatchCollectJob, type WatchCollectResult, type WatchOpenJob } from './jobs.js';

interface Watcher {
  req: ClientRequest;
  lastRv: number;
  seen: Set<string>;
  outOfOrder: number;
  ended: boolean;
}

// Byte patterns scanned for in each event line (metadata.name and metadata.resourceVersion
// come first in the object; `"t":"` is the writer's send stamp in its data).
const NAME = Buffer.from('"name":"');
const RV = Buffer.from('"resourceVersion":"');
const STAMP = Buffer.from('"t":"');
const TYPE_AT = '{"type":"'.length;
const A = 'A'.charCodeAt(0);
const M = 'M'.charCodeAt(0);
const E = 'E'.charCodeAt(0);
const QUOTE = 34;

/** The digits after `pattern` in `line`, as a number (NaN when absent). */
function numberAfter(line: Buffer, pattern: Buffer): number {
  const at = line.indexOf(pattern);
  if (at < 0) return NaN;
  let n = 0;
  for (let i = at + pattern.length; i < line.length; i++) {
    const c = line[i] - 48;
    if (c < 0 || c > 9) break;
    n = n * 10 + c;
  }
  return n;
}

function stringAfter(line: Buffer, pattern: Buffer): string | undefined {
  const at = line.indexOf(pattern);
  if (at < 0) return undefined;
  const from = at + pattern.length;
  const to = line.indexOf(QUOTE, from);
  return to < 0 ? undefined : line.toString('latin1', from, to);
}

export class WatcherPool {
  private watchers: Watcher[] = [];
  private latencies: number[] = [];
  private lastEventAt = performance.now();
  private cpu0 = process.cpuUsage();
  private t0 = performance.now();
  private prefix = '';

  async open(job: WatchOpenJob): Promise<void> {
    this.prefix = job.namePrefix;
    const url = new URL(job.path, job.target.url);
    url.searchParams.set('watch', 'true');
    url.searchParams.set('resourceVersion', job.resourceVersion);
    await Promise.all(Array.from({ length: job.watchers }, () => this.openOne(url, job)));
    this.cpu0 = process.cpuUsage();
    this.t0 = performance.now();
  }

  private openOne(url: URL, job: WatchOpenJob): Promise<void> {
    return new Promise((resolve, reject) => {
      const w: Watcher = { req: undefined as unknown as ClientRequest, lastRv: 0, seen: new Set(), outOfOrder: 0, ended: false };
      // No agent: a watch holds its own connection.
      w.req = request(url, { agent: false, ca: job.target.ca, servername: 'localhost', headers: { Authorization: `Bearer ${job.target.token}`, Accept: 'application/json' } }, (res: IncomingMessage) => {
        if (res.statusCode !== 200) return reject(new Error(`watch answered ${res.statusCode}`));
        this.watchers.push(w);
        resolve();
        let rest: Buffer | undefined;
        res.on('data', (chunk: Buffer) => {
          const now = Number(process.hrtime.bigint());
          const buf = rest ? Buffer.concat([rest, chunk]) : chunk;
          let start = 0;
          let nl: number;
          while ((nl = buf.indexOf(10, start)) >= 0) {
            this.onLine(w, buf.subarray(start, nl), now);
            start = nl + 1;
          }
          rest = start < buf.length ? buf.subarray(start) : undefined;
        });
        res.on('close', () => (w.ended = true));
      });
      w.req.on('error', (e) => {
        w.ended = true;
        reject(e);
      });
      w.req.end();
    });
  }

  private onLine(w: Watcher, line: Buffer, now: number): void {
    const t = line[TYPE_AT];
    if (t !== A && t !== M) {
      if (t === E) w.ended = true; // ERROR
      return;
    }
    this.lastEventAt = performance.now();
    const rv = numberAfter(line, RV);
    if (!(rv > w.lastRv)) w.outOfOrder++;
    w.lastRv = rv;
    const name = stringAfter(line, NAME);
    const stamp = numberAfter(line, STAMP);
    if (!name || Number.isNaN(stamp) || !name.startsWith(this.prefix)) return;
    w.seen.add(name);
    this.latencies.push((now - stamp) / 1e6);
  }

  /** Waits until every watcher has every expected object, or nothing came for `quietMs`; then closes them. */
  async collect(job: WatchCollectJob): Promise<WatchCollectResult> {
    const complete = (w: Watcher) => w.seen.size >= job.expected;
    while (!this.watchers.every((w) => w.ended || complete(w)) && performance.now() - this.lastEventAt < job.quietMs) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const wall = this.lastEventAt - this.t0;
    const cpu = cpuShare(this.cpu0, Math.max(1, performance.now() - this.t0));
    let delivered = 0;
    let outOfOrder = 0;
    let ended = 0;
    for (const w of this.watchers) {
      delivered += w.seen.size;
      outOfOrder += w.outOfOrder;
      if (w.ended) ended++;
      w.req.destroy();
    }
    const lat = Float64Array.from(this.latencies).sort();
    const result: WatchCollectResult = {
      watchers: this.watchers.length,
      delivered,
      missing: job.expected * this.watchers.length - delivered,
      outOfOrder,
      ended,
      p50Ms: percentile(lat, 0.5),
      p99Ms: percentile(lat, 0.99),
      maxMs: lat.length ? lat[lat.length - 1] : NaN,
      cpu: wall > 0 ? cpu : 0,
    };
    this.watchers = [];
    this.latencies = [];
    return result;
  }
}
