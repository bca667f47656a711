// One run of a container: a detached process group whose output goes to the
// instance's log file. When the main process exits, whatever it left running
// in its group is killed, as the end of a container's PID namespace would.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname } from 'node:path';
import { rfc3339 } from './clock.js';
import { LogWriter } from './log-writer.js';
import type { RunAs } from './run-as.js';
import { killGroup, trackGroup, untrackGroup } from './process-group.js';

export interface ExitInfo {
  exitCode: number;
  reason: string;
  message?: string;
  signal?: number;
  startedAt?: string;
  finishedAt: string;
}

export interface InstanceSpec {
  argv: string[];
  /** The container's image when this run started (recorded, not run). */
  image: string;
  env: Record<string, string>;
  cwd: string;
  logPath: string;
  /** The user the process runs as (default the agent's). */
  runAs?: RunAs;
}

// Output still buffered in the pipes is read for this long after the main
// process exits; a process that escaped the group could hold them open forever.
const DRAIN_MS = 2000;

export class ContainerInstance {
  readonly id = `process://${randomBytes(32).toString('hex')}`;
  readonly image: string;
  readonly log: LogWriter;
  /** Resolves true once the process runs, false if it could not start. */
  readonly spawned: Promise<boolean>;
  readonly exited: Promise<ExitInfo>;
  startedAtMs = Date.now();
  private child: ChildProcess | undefined;
  private finish!: (info: ExitInfo) => void;
  private done = false;

  constructor(spec: InstanceSpec) {
    // Logs are the agent's: the container's user cannot read or rewrite them.
    mkdirSync(dirname(spec.logPath), { recursive: true, mode: 0o700 });
    this.image = spec.image;
    this.log = new LogWriter(spec.logPath);
    this.exited = new Promise((resolve) => (this.finish = resolve));
    this.spawned = this.launch(spec.argv, spec);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves with how it ended. */
  stop(graceMs: number): Promise<ExitInfo> {
    if (this.done || !this.child) return this.exited;
    const pid = this.child.pid;
    if (graceMs <= 0) killGroup(pid, 'SIGKILL');
    else {
      killGroup(pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
      void this.exited.then(() => clearTimeout(timer));
    }
    return this.exited;
  }

  private launch(argv: string[], spec: InstanceSpec): Promise<boolean> {
    return new Promise((resolve) => {
      let child: ChildProcess;
      try {
        const made = mkdirSync(spec.cwd, { recursive: true, mode: 0o700 });
        // Directories made here belong to the container's user; existing ones stay as they are.
        if (made && spec.runAs) for (let d = spec.cwd; d.startsWith(made); d = dirname(d)) chownSync(d, spec.runAs.uid, spec.runAs.gid);
        const ids = spec.runAs ? { uid: spec.runAs.uid, gid: spec.runAs.gid } : {};
        child = spawn(argv[0]!, argv.slice(1), { cwd: spec.cwd, env: spec.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...ids });
      } catch (e) {
        this.startFailed(argv[0]!, e as NodeJS.ErrnoException);
        return resolve(false);
      }
      this.child = child;
      child.once('error', (e: NodeJS.ErrnoException) => {
        if (child.pid === undefined) {
          this.startFailed(argv[0]!, e);
          resolve(false);
        }
      });
      child.once('spawn', () => {
        this.startedAtMs = Date.now();
        trackGroup(child.pid!);
        resolve(true);
      });
      const drained = Promise.all([this.log.attach(child.stdout!, 'stdout'), this.log.attach(child.stderr!, 'stderr')]);
      child.once('exit', (code, signal) => {
        const finishedAt = rfc3339();
        killGroup(child.pid, 'SIGKILL');
        const timer = setTimeout(() => {
          child.stdout!.destroy();
          child.stderr!.destroy();
        }, DRAIN_MS);
        void drained.then(() => {
          clearTimeout(timer);
          untrackGroup(child.pid!);
          const signum = signal ? constants.signals[signal] : undefined;
          const exitCode = code ?? 128 + (signum ?? 0);
          this.end({ exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', ...(signum ? { signal: signum } : {}) }, finishedAt);
        });
      });
    });
  }

  private startFailed(cmd: string, e: NodeJS.ErrnoException): void {
    const why =
      e.code === 'ENOENT'
        ? `exec: "${cmd}": executable file not found in $PATH`
        : e.code === 'EACCES'
          ? `exec: "${cmd}": permission denied`
          : e.message;
    this.end({ exitCode: 128, reason: 'StartError', message: `failed to start container process: ${why}`, startedAt: rfc3339(0) });
  }

  private end(info: Omit<ExitInfo, 'finishedAt'>, finishedAt = rfc3339()): void {
    if (this.done) return;
    this.done = true;
    this.log.close();
    this.finish({ startedAt: rfc3339(this.startedAtMs), ...info, finishedAt });
  }
}
