// The jobs a load worker runs and what it answers: plain data, so they cross
// the IPC channel between the bench and its worker processes.

export interface Target {
  url: string;
  token: string;
  ca: string;
}

/** A request template; `configmap` bodies get a unique name per request. */
export interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  /** POST: a ConfigMap named `<namePrefix><n>` with `payloadBytes` of data; PATCH: a merge patch of its data. */
  body?: { namePrefix: string; payloadBytes: number };
  /** PATCH: the path is `<path><namePrefix><n % patchNames>`. */
  patchNames?: number;
}

export interface HttpLoadJob {
  kind: 'http';
  target: Target;
  request: RequestSpec;
  connections: number;
  /** Run for this long, or until `amount` responses. */
  seconds?: number;
  amount?: number;
}

export interface HttpLoadResult {
  /** Successful (2xx) responses per second. */
  rate: number;
  ok: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
  /** Share of one core the worker used (near 1: the client, not the server, was the limit). */
  cpu: number;
  firstError?: string;
}

/** Creates at a fixed rate, each stamped with its send time (process.hrtime, shared by every process). */
export interface PacedWritesJob {
  kind: 'paced-writes';
  target: Target;
  path: string;
  namePrefix: string;
  rate: number;
  seconds: number;
  payloadBytes: number;
  maxInFlight: number;
}

export interface PacedWritesResult {
  sent: number;
  ok: number;
  failed: number;
  /** Acknowledged creates per second over the writing period. */
  rate: number;
  createP50Ms: number;
  createP99Ms: number;
  cpu: number;
  firstError?: string;
}

export interface WatchOpenJob {
  kind: 'watch-open';
  target: Target;
  /** Collection path; `watch=true&resourceVersion=` is added. */
  path: string;
  resourceVersion: string;
  watchers: number;
  /** Only objects whose names start with this are timed and counted. */
  namePrefix: string;
}

export interface WatchCollectJob {
  kind: 'watch-collect';
  /** How many objects each watcher must see. */
  expected: number;
  /** Give up once nothing arrived for this long. */
  quietMs: number;
}

export interface WatchCollectResult {
  watchers: number;
  /** Events of the expected objects delivered, over all watchers (each counted once per watcher). */
  delivered: number;
  /** expected × watchers − delivered. */
  missing: number;
  /** Events that came with a resourceVersion not above the previous one. */
  outOfOrder: number;
  /** Watch streams that ended or errored before collection. */
  ended: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  cpu: number;
}

export interface ListJob {
  kind: 'list';
  target: Target;
  path: string;
  times: number;
}

export interface ListResult {
  p50Ms: number;
  minMs: number;
  bytes: number;
}

export interface EtcdPutsJob {
  kind: 'etcd-puts';
  endpoints: string[];
  connections: number;
  seconds: number;
  payloadBytes: number;
}

export type Job = HttpLoadJob | PacedWritesJob | WatchOpenJob | WatchCollectJob | ListJob | EtcdPutsJob;

/** A ConfigMap body, the object every API figure writes. */
export function configMap(name: string, payloadBytes: number, extra: Record<string, string> = {}): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { app: 'bench' } }, data: { ...extra, payload: 'x'.repeat(payloadBytes) } });
}

export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** CPU time used since `start` as a share of one core over `wallMs`. */
export function cpuShare(start: NodeJS.CpuUsage, wallMs: number): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000 / wallMs;
}
