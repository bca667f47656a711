// Test support: runs `workplane serve` as a real child process (so tests can
// kill -9 and restart it) and drives the real /usr/bin/kubectl against it with
// its own HOME and cache dir.

import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
export const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';

export interface ServerProcessOptions {
  storage?: 'sqlite' | 'memory' | 'etcd';
  dataDir?: string;
  etcdEndpoints?: string[];
  etcdPrefix?: string;
  /** --secrets-key-file (see writeSecretsKeyFile). */
  secretsKeyFile?: string;
  extraArgs?: string[];
  /** Reuse this port (for restarts); default 0 = pick one. */
  port?: number;
  /** A command the server runs under (e.g. `taskset -c 0`), for benchmarks. */
  launcher?: string[];
  /** Options for node itself (e.g. `--cpu-prof`), for benchmarks. */
  nodeArgs?: string[];
}

/** Writes a fresh --secrets-key-file (one random 32-byte key, base64, mode 0600) at `path`. */
export function writeSecretsKeyFile(path: string): string {
  writeFileSync(path, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
  return path;
}

export class ServerProcess {
  child?: ChildProcess;
  url = '';
  port = 0;
  kubeconfig = '';
  readonly dataDir: string;
  private readonly ownsDataDir: boolean;
  output = '';
  /** What the server wrote to stderr alone (its log records). */
  stderr = '';

  constructor(private readonly opts: ServerProcessOptions = {}) {
    this.ownsDataDir = !opts.dataDir;
    this.dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'workplane-test-'));
    this.port = opts.port ?? 0;
  }

  async start(): Promise<this> {
    const args = [CLI, 'serve', '--data-dir', this.dataDir, '--listen', `127.0.0.1:${this.port}`, '--storage', this.opts.storage ?? 'sqlite', '--log-level', 'warn'];
    if (this.opts.etcdEndpoints) args.push('--etcd-endpoints', this.opts.etcdEndpoints.join(','));
    if (this.opts.etcdPrefix) args.push('--etcd-prefix', this.opts.etcdPrefix);
    if (this.opts.secretsKeyFile) args.push('--secrets-key-file', this.opts.secretsKeyFile);
    const extra = this.opts.extraArgs ?? [];
    // The API port is fixed across restarts, which would put the DP server on the fixed 5678
    // that another test (or program) may hold: take a free one unless the test chose.
    if (!extra.includes('--dp-port')) args.push('--dp-port', '0');
    args.push(...extra);
    const [cmd, ...prefix] = [...(this.opts.launcher ?? []), process.execPath];
    const child = spawn(cmd, [...prefix, ...(this.opts.nodeArgs ?? []), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not become ready:\n${this.output}`)), 60_000);
      child.stdout!.on('data', (d: Buffer) => {
        this.output += d.toString();
        const m = /ready at (https:\/\/\S+) .*kubeconfig: (\S+)/.exec(this.output);
        if (m) {
          clearTimeout(timer);
          this.url = m[1];
          this.kubeconfig = m[2];
          this.port = Number(new URL(this.url).port);
          resolve();
        }
      });
      child.stderr!.on('data', (d: Buffer) => {
        this.output += d.toString();
        this.stderr += d.toString();
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code}:\n${this.output}`));
      });
    });
    return this;
  }

  /** SIGKILL: no chance to flush anything. */
  async kill9(): Promise<void> {
    await this.signal('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  private async signal(sig: NodeJS.Signals): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill(sig);
    const t = setTimeout(() => c.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(t);
  }

  async restart(): Promise<this> {
    return this.start();
  }

  get adminToken(): string {
    return readFileSync(join(this.dataDir, 'admin.token'), 'utf8').trim();
  }

  get caPem(): string {
    return readFileSync(join(this.dataDir, 'pki', 'ca.crt'), 'utf8');
  }

  async cleanup(): Promise<void> {
    await this.stop();
    if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real kubectl with its own HOME (so its discovery cache is the test's own). */
export class Kubectl {
  readonly home = mkdtempSync(join(tmpdir(), 'workplane-kubectl-'));

  constructor(private readonly server: ServerProcess) {}

  run(args: string[], input?: string, timeoutMs = 60_000): Promise<KubectlResult> {
    return new Promise((resolve) => {
      const child = execFile(
        KUBECTL,
        ['--kubeconfig', this.server.kubeconfig, ...args],
        { env: { ...process.env, HOME: this.home, KUBECONFIG: this.server.kubeconfig }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      if (input !== undefined) {
        child.stdin!.end(input);
      } else child.stdin?.end();
    });
  }

  /** Runs kubectl and throws with its stderr unless it succeeds. */
  async ok(args: string[], input?: string): Promise<string> {
    const r = await this.run(args, input);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  /** Runs kubectl and returns stderr, throwing if it unexpectedly succeeds. */
  async fails(args: string[], input?: string): Promise<string> {
    const r = await this.run(args, input);
    if (r.code === 0) throw new Error(`kubectl ${args.join(' ')} unexpectedly succeeded:\n${r.stdout}`);
    return r.stderr;
  }

  cleanup(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}
