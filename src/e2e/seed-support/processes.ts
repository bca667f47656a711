// Child processes the seed tests need beside kubectl: the workplane CLI (for
// `workplane set image`), a `workplane agent` adding nodes to a running
// server, and long-running kubectl commands (`--watch`) whose output a test
// reads while it runs. Every wait is bounded, and every process can be
// stopped by the test that started it.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { CLI, KUBECTL, type Kubectl, type KubectlResult, type ServerProcess } from '../../testing/server-process.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Retries `fn` until it stops throwing; rethrows its last error after `timeoutMs`. */
export async function eventually<T>(fn: () => Promise<T>, timeoutMs = 30_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await sleep(everyMs);
    }
  }
}

/** Runs `node dist/cli/main.js ARGS` with KUBECONFIG pointing at the server, as a user would. */
export function runWorkplane(server: ServerProcess, args: string[], timeoutMs = 30_000): Promise<KubectlResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, KUBECONFIG: server.kubeconfig }, timeout: timeoutMs }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A child process whose combined output a test can wait on. */
export class OutputProcess {
  output = '';
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((r) => child.once('exit', (code) => r(code)));
  }

  /** Resolves once the output matches `re`; fails after `timeoutMs` or if the process ends first. */
  async waitFor(re: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
    let ended = false;
    void this.exited.then(() => (ended = true));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(this.output);
      if (m) return m;
      if (ended) throw new Error(`process ended before printing ${re}:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`no ${re} within ${timeoutMs} ms:\n${this.output}`);
      await sleep(100);
    }
  }

  /** SIGTERM, then SIGKILL if it lingers; a no-op once it has exited. */
  async stop(): Promise<void> {
    const c = this.child;
    if (c.exitCode !== null || c.signalCode !== null) return;
    c.kill('SIGTERM');
    const t = setTimeout(() => c.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(t);
  }
}

/** Starts kubectl (e.g. `get ... --watch`) in the background with the test's kubectl HOME. */
export function startKubectl(server: ServerProcess, k: Kubectl, args: string[]): OutputProcess {
  const child = spawn(KUBECTL, ['--kubeconfig', server.kubeconfig, ...args], {
    env: { ...process.env, HOME: k.home, KUBECONFIG: server.kubeconfig },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new OutputProcess(child);
}

let agents = 0;

/** Starts `workplane agent` against the server with its admin token and CA; resolves once its nodes are registered. */
export async function startAgent(server: ServerProcess, extra: string[]): Promise<OutputProcess> {
  const rootDir = join(server.dataDir, `agent-${++agents}`);
  const args = [CLI, 'agent', '--server', server.url, `--token=${server.adminToken}`, '--ca-file', join(server.dataDir, 'pki', 'ca.crt'), '--root-dir', rootDir, ...extra];
  const agent = new OutputProcess(spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  try {
    await agent.waitFor(/agent running: \d+ node\(s\)/, 30_000);
  } catch (e) {
    await agent.stop();
    throw e;
  }
  return agent;
}
