// One pod on the process runtime: a worker per container, all started
// together, stopped together, and the pod's terminal phase once every
// container has terminated for good.

import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { LogOptions, PodLaunch, PodRuntimeStatus } from '../types.js';
import { ContainerWorker, type WorkerSettings } from './container-worker.js';

export class PodSandbox {
  private readonly workers = new Map<string, ContainerWorker>();
  private stopped: Promise<void> | undefined;

  constructor(
    pod: PodLaunch,
    private readonly settings: WorkerSettings,
  ) {
    // Traversable (not listable) by the pod's user, who owns only the working directory inside.
    mkdirSync(settings.podDir, { recursive: true, mode: 0o711 });
    for (const c of pod.containers) this.workers.set(c.name, new ContainerWorker(c, pod, settings));
    for (const w of this.workers.values()) w.start();
  }

  /** Sync with a newer pod object; a killed pod is never started again. */
  update(pod: PodLaunch): void {
    if (this.stopped) return;
    for (const c of pod.containers) this.workers.get(c.name)?.update(c, pod);
  }

  stop(graceMs: number): Promise<void> {
    this.stopped ??= Promise.all([...this.workers.values()].map((w) => w.stop(graceMs))).then(() => undefined);
    return this.stopped;
  }

  /** Stops at once and deletes the pod's directory (logs, default working directory). */
  async destroy(): Promise<void> {
    await this.stop(0);
    await rm(this.settings.podDir, { recursive: true, force: true });
  }

  status(): PodRuntimeStatus {
    const workers = [...this.workers.values()];
    const containers = workers.map((w) => w.status());
    if (!workers.every((w) => w.final)) return { containers };
    return { containers, terminalPhase: workers.every((w) => w.exitCode === 0) ? 'Succeeded' : 'Failed' };
  }

  logs(opts: LogOptions): Readable | undefined {
    return this.workers.get(opts.container)?.logs(opts);
  }
}
