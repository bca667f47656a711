// Starts throwaway etcd servers (the system `etcd` binary) for tests: one
// member, or a cluster of several members, on loopback with free ports and
// temporary data dirs that are removed on stop. One server per test file
// keeps the shared 2-core machine responsive.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';

export interface EtcdServer {
  endpoints: string[];
  stop(): Promise<void>;
}

export interface EtcdCluster extends EtcdServer {
  members: EtcdMember[];
  /** The member the running members agree is the raft leader. */
  leader(): Promise<EtcdMember>;
}

export interface EtcdMember {
  name: string;
  /** This member's client URL. */
  endpoint: string;
  /** SIGKILL: the member is gone without a goodbye, as in a crash. */
  kill(): Promise<void>;
  /** Starts a killed member again on its data dir; resolves once it is healthy. */
  restart(): Promise<void>;
  readonly running: boolean;
}

export interface EtcdOptions {
  /** etcd's --max-request-bytes (etcd's default is 1.5 MiB). */
  maxRequestBytes?: number;
  /** A command etcd runs under (e.g. `taskset -c 0`), for benchmarks. */
  launcher?: string[];
}

const ETCD_BIN = process.env.ETCD_BIN ?? 'etcd';
const START_ATTEMPTS = 5;
const READY_TIMEOUT_MS = 30_000;

/** A single-member etcd. */
export function startEtcd(opts: EtcdOptions = {}): Promise<EtcdServer> {
  return startEtcdCluster(1, opts);
}

/** An etcd cluster of `size` members on loopback; resolves once every member reports healthy. */
export async function startEtcdCluster(size: number, opts: EtcdOptions = {}): Promise<EtcdCluster> {
  let lastError: unknown;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    try {
      return await startOnce(size, opts);
    } catch (err) {
      // Another process may have taken one of our ports between probe and bind.
      lastError = err;
    }
  }
  throw new Error(`etcd did not start: ${String(lastError)}`);
}

interface MemberPorts {
  name: string;
  client: string;
  peer: string;
}

async function startOnce(size: number, opts: EtcdOptions): Promise<EtcdCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'workplane-etcd-'));
  const ports: MemberPorts[] = [];
  for (let i = 0; i < size; i++) {
    ports.push({ name: `m${i}`, client: `http://127.0.0.1:${await freePort()}`, peer: `http://127.0.0.1:${await freePort()}` });
  }
  const initialCluster = ports.map((p) => `${p.name}=${p.peer}`).join(',');
  const members = ports.map((p) => spawnMember(p, dir, initialCluster, opts));
  const stop = async () => {
    await Promise.all(members.map((m) => m.kill()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all(members.map((m) => waitHealthy(m)));
  } catch (err) {
    const logs = members.map((m) => `${m.name}: ${m.stderr().trim()}`).join('\n');
    await stop();
    throw new Error(`${String(err)}; etcd stderr:\n${logs}`);
  }
  return { endpoints: members.map((m) => m.endpoint), members, stop, leader: () => findLeader(members) };
}

async function findLeader(members: EtcdMember[]): Promise<EtcdMember> {
  const ids = new Map<string, EtcdMember>();
  let leaderId = '';
  for (const m of members.filter((x) => x.running)) {
    const client = new Etcd3({ hosts: [m.endpoint] });
    try {
      const status = await client.maintenance.status();
      ids.set(String(status.header.member_id), m);
      leaderId = String(status.leader);
    } finally {
      client.close();
    }
  }
  const leader = ids.get(leaderId);
  if (!leader) throw new Error(`no running member is the leader (${leaderId})`);
  return leader;
}

/** One etcd process; restarting it reuses its data dir, so it rejoins as the same member. */
class SpawnedMember implements EtcdMember {
  readonly name: string;
  readonly endpoint: string;
  child!: ChildProcess;
  private log = '';
  private exited!: Promise<void>;
  private readonly killOnExit = () => this.child.kill('SIGKILL');

  constructor(
    p: MemberPorts,
    private readonly args: string[],
    private readonly launcher: string[] = [],
  ) {
    this.name = p.name;
    this.endpoint = p.client;
    this.spawn();
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  stderr(): string {
    return this.log;
  }

  async kill(): Promise<void> {
    process.off('exit', this.killOnExit);
    if (this.running) this.child.kill('SIGKILL');
    await this.exited;
  }

  async restart(): Promise<void> {
    await this.kill();
    this.spawn();
    await waitHealthy(this);
  }

  private spawn(): void {
    const [cmd, ...prefix] = [...this.launcher, ETCD_BIN];
    const child = spawn(cmd, [...prefix, ...this.args], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (this.log = (this.log + s).slice(-4000)));
    this.exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // If the test process ends without calling stop(), do not leave etcd behind.
    process.once('exit', this.killOnExit);
  }
}

function spawnMember(p: MemberPorts, dir: string, initialCluster: string, opts: EtcdOptions): SpawnedMember {
  const args = [
    `--name=${p.name}`,
    `--data-dir=${join(dir, p.name)}`,
    `--listen-client-urls=${p.client}`,
    `--advertise-client-urls=${p.client}`,
    `--listen-peer-urls=${p.peer}`,
    `--initial-advertise-peer-urls=${p.peer}`,
    `--initial-cluster=${initialCluster}`,
    '--initial-cluster-state=new',
    '--initial-cluster-token=workplane-test',
    '--logger=zap',
    '--log-level=error',
  ];
  if (opts.maxRequestBytes !== undefined) args.push(`--max-request-bytes=${opts.maxRequestBytes}`);
  return new SpawnedMember(p, args, opts.launcher);
}

async function waitHealthy(m: SpawnedMember): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!m.running) throw new Error(`etcd member ${m.name} exited (${m.child.exitCode ?? m.child.signalCode})`);
    try {
      const res = await fetch(`${m.endpoint}/health`);
      const body = (await res.json()) as { health?: string };
      if (body.health === 'true') return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`etcd member ${m.name} did not become healthy in time`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
