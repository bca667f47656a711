// The simulated runtime (in the spirit of KWOK): containers are state
// machines driven by timers, so one process can "run" tens of thousands of
// pods. A pod's containers start together after a short jittered delay;
// annotations (see simulation-plan.ts) make them exit, crash and back off.
// A new image restarts a container, as a changed definition does in kubelet.

import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { LogOptions, PodLaunch, PodRuntimeStatus, Runtime } from './types.js';
import { SimulatedContainer, type PodRef, type SimulationTiming } from './simulated-container.js';
import { containerPlan } from './simulation-plan.js';

export interface SimulatedRuntimeOptions {
  /** Fixed part of the delay before a pod's containers run (default 0). */
  startDelayMs?: number;
  /** Random extra delay, 0..this (default 50), so a burst of pods does not start in one tick. */
  startJitterMs?: number;
  /** Delay from running to ready (default 0). */
  readyDelayMs?: number;
  /** Also wait readinessProbe.initialDelaySeconds before ready (default false). */
  honorReadinessProbe?: boolean;
  /** First crash back-off (default 10 s, as kubelet); doubles per restart. */
  backoffBaseMs?: number;
  /** Back-off ceiling (default 300 s). */
  backoffMaxMs?: number;
  /** How long a graceful kill takes, at most the grace period (default 0). */
  killDelayMs?: number;
}

interface SimPod extends PodRef {
  containers: SimulatedContainer[];
  startTimer?: NodeJS.Timeout;
}

export class SimulatedRuntime implements Runtime {
  readonly name = 'simulated' as const;
  private readonly pods = new Map<string, SimPod>();
  private readonly listeners: ((uid: string) => void)[] = [];
  private readonly imageIDs = new Map<string, string>();
  private readonly timing: SimulationTiming;

  constructor(private readonly opts: SimulatedRuntimeOptions = {}) {
    this.timing = {
      readyDelayMs: opts.readyDelayMs ?? 0,
      honorReadinessProbe: opts.honorReadinessProbe ?? false,
      backoffBaseMs: opts.backoffBaseMs ?? 10_000,
      backoffMaxMs: opts.backoffMaxMs ?? 300_000,
    };
  }

  get size(): number {
    return this.pods.size;
  }

  sync(launch: PodLaunch): void {
    const existing = this.pods.get(launch.uid);
    if (existing) return this.update(existing, launch);
    const { uid, namespace, name, restartPolicy } = launch;
    const pod: SimPod = { uid, namespace, name, restartPolicy, containers: [] };
    const changed = () => this.emit(uid);
    const annotations = launch.pod.metadata.annotations;
    for (const c of launch.containers) pod.containers.push(new SimulatedContainer(pod, c, containerPlan(annotations, c.name), this.timing, changed));
    this.pods.set(uid, pod);
    const previous = previousStatuses(launch);
    const pending = pod.containers.filter((c) => !c.adopt(previous.get(c.name)));
    if (pending.length === 0) return;
    const delay = (this.opts.startDelayMs ?? 0) + Math.random() * (this.opts.startJitterMs ?? 50);
    pod.startTimer = setTimeout(() => {
      pod.startTimer = undefined;
      for (const c of pending) c.run();
      this.emit(uid);
    }, delay).unref();
  }

  /** A newer pod object: containers whose image changed restart with it (after the kill delay). */
  private update(pod: SimPod, launch: PodLaunch): void {
    const stopMs = Math.min(launch.terminationGracePeriodSeconds * 1000, this.opts.killDelayMs ?? 0);
    for (const spec of launch.containers) {
      const c = pod.containers.find((x) => x.name === spec.name);
      if (c && c.spec.image !== spec.image) c.replace(spec, stopMs);
    }
  }

  async kill(uid: string, gracePeriodSeconds: number): Promise<void> {
    const pod = this.pods.get(uid);
    if (!pod) return;
    clearTimeout(pod.startTimer);
    const graceful = gracePeriodSeconds > 0;
    const wait = Math.min(gracePeriodSeconds * 1000, this.opts.killDelayMs ?? 0);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait).unref());
    for (const c of pod.containers) c.kill(graceful);
    this.emit(uid);
  }

  remove(uid: string): void {
    const pod = this.pods.get(uid);
    if (!pod) return;
    clearTimeout(pod.startTimer);
    for (const c of pod.containers) {
      c.clearTimers();
      c.logs.end();
    }
    this.pods.delete(uid);
  }

  status(uid: string): PodRuntimeStatus | undefined {
    const pod = this.pods.get(uid);
    if (!pod) return undefined;
    const imageID = (image: string) => this.imageID(image);
    const out: PodRuntimeStatus = { containers: pod.containers.map((c) => c.status(imageID)) };
    if (pod.containers.length && pod.containers.every((c) => c.final)) {
      const failed = pod.containers.some((c) => !('terminated' in c.state) || c.state.terminated.exitCode !== 0);
      out.terminalPhase = failed ? 'Failed' : 'Succeeded';
    }
    return out;
  }

  logs(uid: string, opts: LogOptions): Readable | undefined {
    const c = this.pods.get(uid)?.containers.find((x) => x.name === opts.container);
    return c?.logs.read(opts);
  }

  onChange(listener: (uid: string) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    for (const uid of [...this.pods.keys()]) this.remove(uid);
  }

  private emit(uid: string): void {
    for (const l of this.listeners) l(uid);
  }

  /** A stable fake digest per image, in the `<repository>@sha256:<hex>` shape kubelet reports. */
  private imageID(image: string): string {
    let id = this.imageIDs.get(image);
    if (!id) {
      const digest = createHash('sha256').update(image).digest('hex');
      this.imageIDs.set(image, (id = `${repository(image)}@sha256:${digest}`));
    }
    return id;
  }
}

/** Container statuses the pod object carries from an earlier agent process. */
function previousStatuses(launch: PodLaunch): Map<string, Record<string, unknown>> {
  const status = launch.pod.status as { containerStatuses?: Record<string, unknown>[] } | undefined;
  const out = new Map<string, Record<string, unknown>>();
  for (const cs of status?.containerStatuses ?? []) if (typeof cs.name === 'string') out.set(cs.name, cs);
  return out;
}

/** `nginx:1.27` → `docker.io/library/nginx`, as a registry would name it. */
function repository(image: string): string {
  let name = image.split('@')[0];
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) name = name.slice(0, colon);
  const first = name.split('/')[0];
  if (!name.includes('/')) return `docker.io/library/${name}`;
  if (!first.includes('.') && !first.includes(':') && first !== 'localhost') return `docker.io/${name}`;
  return name;
}

export function createSimulatedRuntime(opts: SimulatedRuntimeOptions = {}): SimulatedRuntime {
  return new SimulatedRuntime(opts);
}
