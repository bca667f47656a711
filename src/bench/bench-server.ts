// `workplane serve` as the bench runs it: its own process, on the server
// cores, with what a user gets by default (SQLite, controllers, three
// in-process nodes, RBAC), and the few helpers every section needs.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServerProcess } from '../testing/server-process.js';
import { JsonClient } from './http.js';
import type { Target } from './load/jobs.js';
import { launcher, rssOf, type Placement } from './machine.js';

export interface BenchServerOptions {
  storage: 'sqlite' | 'memory' | 'etcd';
  etcdEndpoints?: string[];
  placement: Placement;
  dataDir?: string;
  port?: number;
}

let servers = 0;

export class BenchServer {
  readonly proc: ServerProcess;
  target!: Target;
  client!: JsonClient;

  constructor(private readonly opts: BenchServerOptions) {
    this.proc = new ServerProcess({
      storage: opts.storage,
      dataDir: opts.dataDir,
      port: opts.port,
      etcdEndpoints: opts.etcdEndpoints,
      // Each server its own key space in the shared bench etcd.
      etcdPrefix: opts.storage === 'etcd' ? `/bench-${process.pid}-${++servers}` : undefined,
      // etcd keeps the cluster secrets in storage; the bench's etcd is throwaway.
      extraArgs: opts.storage === 'etcd' ? ['--allow-unencrypted-secrets'] : [],
      launcher: launcher(opts.placement.server),
      // BENCH_PROFILE=DIR writes a CPU profile of each server run there (node --cpu-prof).
      nodeArgs: process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : [],
    });
  }

  async start(): Promise<this> {
    await this.proc.start();
    this.target = { url: this.proc.url, token: this.proc.adminToken, ca: this.proc.caPem };
    this.client?.close();
    this.client = new JsonClient(this.target.url, this.target.token, this.target.ca);
    return this;
  }

  get pid(): number {
    return this.proc.child!.pid!;
  }

  rss(): number {
    return rssOf(this.pid) ?? NaN;
  }

  /** The serving certificate and key (the baseline server uses the same ones). */
  servingCert(): { certPem: string; keyPem: string } {
    const pki = join(this.proc.dataDir, 'pki');
    return { certPem: readFileSync(join(pki, 'server.crt'), 'utf8'), keyPem: readFileSync(join(pki, 'server.key'), 'utf8') };
  }

  async namespace(name: string): Promise<void> {
    const r = await this.client.send('POST', '/api/v1/namespaces', { metadata: { name } });
    if (r.status !== 201 && r.status !== 409) throw new Error(`namespace ${name}: ${r.status} ${JSON.stringify(r.body)}`);
  }

  /** The collection's current resourceVersion (to watch from). */
  async listVersion(path: string): Promise<string> {
    const r = await this.client.send('GET', `${path}?limit=1`);
    if (r.status !== 200) throw new Error(`list ${path}: ${r.status}`);
    return (r.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
  }

  async stop(): Promise<void> {
    this.client?.close();
    await this.proc.stop();
  }

  async cleanup(): Promise<void> {
    this.client?.close();
    await this.proc.cleanup();
  }
}
