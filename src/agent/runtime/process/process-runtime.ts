// The `process` runtime: each container's command runs as a real child
// process group on this machine (the image is only recorded). A container
// without a command cannot run (its image's entrypoint is unknown here): it
// waits in CreateContainerError rather than pretend to run. Files live
// under `<rootDir>/pods/<uid>/`: `<container>/<restartCount>.log` per run
// (only the agent reads them) and `root/`, the default working directory
// shared by the pod's containers, owned by the user pods run as (`runAs`).

import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { LogOptions, PodLaunch, PodRuntimeStatus, Runtime } from '../types.js';
import { PodSandbox } from './pod-sandbox.js';
import type { RunAs } from './run-as.js';

export interface ProcessRuntimeOptions {
  rootDir: string;
  /** Multiplies probe delays and periods (not timeouts); tests shrink them. Default 1. */
  probeIntervalScale?: number;
  /** First CrashLoopBackOff delay. Default 10 s. */
  backoffBaseMs?: number;
  /** Longest CrashLoopBackOff delay. Default 300 s. */
  backoffMaxMs?: number;
  /** The user containers (and exec probes) run as; default the agent's own. */
  runAs?: RunAs;
}

export function createProcessRuntime(opts: ProcessRuntimeOptions): Runtime {
  const pods = new Map<string, PodSandbox>();
  const listeners: ((uid: string) => void)[] = [];
  const pending = new Set<string>();
  let closed = false;

  // Status changes come in bursts (a crash touches state, readiness, restart
  // count); listeners hear once per pod per turn of the event loop.
  const changed = (uid: string) => {
    if (closed || pending.has(uid)) return;
    pending.add(uid);
    setImmediate(() => {
      pending.delete(uid);
      if (!closed) for (const l of listeners) l(uid);
    });
  };

  return {
    name: 'process',
    sync(pod: PodLaunch): void {
      if (closed) return;
      const existing = pods.get(pod.uid);
      if (existing) return existing.update(pod);
      pods.set(
        pod.uid,
        new PodSandbox(pod, {
          podDir: join(opts.rootDir, 'pods', pod.uid),
          probeIntervalScale: opts.probeIntervalScale ?? 1,
          backoffBaseMs: opts.backoffBaseMs ?? 10_000,
          backoffMaxMs: opts.backoffMaxMs ?? 300_000,
          runAs: opts.runAs,
          onChange: () => changed(pod.uid),
        }),
      );
      changed(pod.uid);
    },
    async kill(uid: string, gracePeriodSeconds: number): Promise<void> {
      await pods.get(uid)?.stop(Math.max(0, gracePeriodSeconds) * 1000);
    },
    remove(uid: string): void {
      const pod = pods.get(uid);
      if (!pod) return;
      pods.delete(uid);
      void pod.destroy().catch(() => undefined);
    },
    status(uid: string): PodRuntimeStatus | undefined {
      return pods.get(uid)?.status();
    },
    logs(uid: string, logOpts: LogOptions): Readable | undefined {
      return pods.get(uid)?.logs(logOpts);
    },
    onChange(listener: (uid: string) => void): void {
      listeners.push(listener);
    },
    async close(): Promise<void> {
      closed = true;
      const all = [...pods.values()];
      pods.clear();
      await Promise.all(all.map((p) => p.stop(0)));
    },
  };
}
