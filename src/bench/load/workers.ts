// The bench's side of a load worker: a child process (pinned to the load
// cores) that runs jobs and answers over IPC.

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EtcdPutsJob, HttpLoadJob, HttpLoadResult, Job, ListJob, ListResult, PacedWritesJob, PacedWritesResult, WatchCollectJob, WatchCollectResult, WatchOpenJob } from './jobs.js';

const ENTRY = fileURLToPath(new URL('./worker-main.js', import.meta.url));

export class LoadWorker {
  private readonly child: ChildProcess;
  private next = 0;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  constructor(launcher: string[] = []) {
    // fork cannot take a launcher; node itself can be started under one with execPath/execArgv.
    const [cmd, ...prefix] = launcher;
    // BENCH_PROFILE_LOAD=DIR profiles the load workers too.
    const prof = process.env.BENCH_PROFILE_LOAD ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE_LOAD] : [];
    this.child = cmd
      ? fork(ENTRY, [], { execPath: cmd, execArgv: [...prefix, process.execPath, ...prof], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
      : fork(ENTRY, [], { execArgv: prof, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (m: { id: number; result?: unknown; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.reject(new Error(`load worker: ${m.error}`));
      else p.resolve(m.result);
    });
    this.child.on('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`load worker exited with ${code}`));
      this.pending.clear();
    });
  }

  run(job: HttpLoadJob | EtcdPutsJob): Promise<HttpLoadResult>;
  run(job: PacedWritesJob): Promise<PacedWritesResult>;
  run(job: WatchOpenJob): Promise<void>;
  run(job: WatchCollectJob): Promise<WatchCollectResult>;
  run(job: ListJob): Promise<ListResult>;
  run(job: Job): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, job });
    });
  }

  close(): void {
    if (this.child.connected) this.child.disconnect();
  }
}
