// One simulated container's life: created → running (ready after a delay) →
// optionally exits as its plan says → restarted per the pod's restartPolicy
// with kubelet's crash back-off (first restart at once, then base·2^n capped),
// waiting in `CrashLoopBackOff` meanwhile. A new image restarts it, as
// kubelet restarts a container whose definition changed. State only; no
// processes.

import { randomBytes } from 'node:crypto';
import { formatGoDuration } from '../../api/duration.js';
import { nowIso } from '../../api/object.js';
import type { ContainerLaunch, ContainerRuntimeStatus, ContainerState } from './types.js';
import type { ContainerPlan } from './simulation-plan.js';
import { SyntheticLogs } from './synthetic-logs.js';

export interface SimulationTiming {
  readyDelayMs: number;
  /** Wait readinessProbe.initialDelaySeconds before ready (when the probe sets it). */
  honorReadinessProbe: boolean;
  backoffBaseMs: number;
  backoffMaxMs: number;
}

export interface PodRef {
  uid: string;
  namespace: string;
  name: string;
  restartPolicy: 'Always' | 'OnFailure' | 'Never';
}

export class SimulatedContainer {
  state: ContainerState = { waiting: { reason: 'ContainerCreating' } };
  lastState?: ContainerState;
  ready = false;
  started = false;
  restartCount = 0;
  containerID?: string;
  /** Terminated for good: killed, or exited with no restart coming. */
  final = false;
  readonly logs = new SyntheticLogs();
  /** The image the current (or last) run started with; the spec may name a newer one. */
  private runImage?: string;
  private readyTimer?: NodeJS.Timeout;
  private runTimer?: NodeJS.Timeout;
  private replaceTimer?: NodeJS.Timeout;

  constructor(
    private readonly pod: PodRef,
    public spec: ContainerLaunch,
    private readonly plan: ContainerPlan,
    private readonly timing: SimulationTiming,
    private readonly changed: () => void,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  /**
   * Picks up a run the previous agent process reported, so an agent restart does not restart
   * containers; unless the image changed meanwhile: then that run is over and a new one starts.
   */
  adopt(prev: Record<string, unknown> | undefined): boolean {
    if (!prev) return false;
    this.restartCount = typeof prev.restartCount === 'number' ? prev.restartCount : 0;
    if (prev.lastState && Object.keys(prev.lastState).length) this.lastState = prev.lastState as ContainerState;
    const running = (prev.state as { running?: { startedAt?: string } } | undefined)?.running;
    const id = typeof prev.containerID === 'string' ? prev.containerID : '';
    if (!running || !id.startsWith('simulated://')) return false;
    const startedAt = running.startedAt ?? nowIso();
    if (typeof prev.image === 'string' && prev.image !== this.spec.image) {
      const terminated = { exitCode: 0, reason: 'Completed', startedAt, finishedAt: nowIso(), containerID: id };
      this.lastState = { terminated };
      this.restartCount++;
      return false;
    }
    this.runImage = this.spec.image;
    this.containerID = id;
    this.state = { running: { startedAt } };
    this.started = true;
    this.logs.newRun();
    this.logs.write(`simulated container ${this.name} re-attached`);
    this.scheduleReady(prev.ready === true ? 0 : this.readyDelay());
    this.scheduleExit(Date.parse(startedAt) + this.plan.runMs - Date.now());
    return true;
  }

  run(): void {
    if (this.final) return;
    this.containerID = `simulated://${randomBytes(32).toString('hex')}`;
    this.runImage = this.spec.image;
    this.state = { running: { startedAt: nowIso() } };
    this.started = true;
    this.ready = false;
    this.logs.newRun();
    this.logs.write(`simulated container ${this.name} started`);
    this.scheduleReady(this.readyDelay());
    this.scheduleExit(this.plan.runMs);
  }

  /**
   * A new definition (image): a running container stops gracefully after `stopMs` and
   * runs again at once, one crash-looping restarts now; one not started yet, or done
   * for good, just takes the new image for any later run.
   */
  replace(spec: ContainerLaunch, stopMs: number): void {
    this.spec = spec;
    if (this.final || this.replaceTimer) return;
    const backingOff = 'waiting' in this.state && this.state.waiting.reason === 'CrashLoopBackOff';
    if (!('running' in this.state) && !backingOff) return;
    const restart = () => {
      this.replaceTimer = undefined;
      this.clearTimers();
      if ('running' in this.state) {
        this.logs.write(`simulated container ${this.name} stopping: definition changed`);
        this.terminate(0);
        this.lastState = this.state;
      }
      this.restartCount++;
      this.run();
      this.changed();
    };
    if (stopMs > 0 && 'running' in this.state) this.replaceTimer = setTimeout(restart, stopMs).unref();
    else restart();
  }

  /** Stops the container for good (graceful: exit 0; forced: exit 137). */
  kill(graceful: boolean): void {
    this.clearTimers();
    this.final = true;
    if (!('running' in this.state)) return;
    this.logs.write(`simulated container ${this.name} stopping`);
    this.terminate(graceful ? 0 : 137);
  }

  clearTimers(): void {
    clearTimeout(this.readyTimer);
    clearTimeout(this.runTimer);
    clearTimeout(this.replaceTimer);
    this.readyTimer = this.runTimer = this.replaceTimer = undefined;
  }

  status(imageID: (image: string) => string): ContainerRuntimeStatus {
    const image = ('waiting' in this.state ? undefined : this.runImage) ?? this.spec.image;
    const s: ContainerRuntimeStatus = {
      name: this.name,
      image,
      state: this.state,
      ready: this.ready,
      started: this.started,
      restartCount: this.restartCount,
    };
    if (this.lastState) s.lastState = this.lastState;
    if (this.containerID) {
      s.containerID = this.containerID;
      s.imageID = imageID(image);
    }
    return s;
  }

  private readyDelay(): number {
    const initial = Number(this.spec.readinessProbe?.initialDelaySeconds ?? 0);
    const probe = this.timing.honorReadinessProbe && initial > 0 ? initial * 1000 : 0;
    return Math.max(this.timing.readyDelayMs, probe);
  }

  private scheduleReady(ms: number): void {
    if (ms <= 0) {
      this.ready = true;
      return;
    }
    this.readyTimer = setTimeout(() => {
      this.ready = true;
      this.changed();
    }, ms).unref();
  }

  private scheduleExit(ms: number): void {
    const code = this.plan.exitCode;
    if (code === undefined) return;
    this.runTimer = setTimeout(() => {
      this.logs.write(`simulated container ${this.name} exiting with code ${code}`);
      this.terminate(code);
      this.restartOrFinish(code);
      this.changed();
    }, Math.max(0, ms)).unref();
  }

  private terminate(exitCode: number): void {
    clearTimeout(this.readyTimer);
    const terminated: Extract<ContainerState, { terminated: unknown }>['terminated'] & { containerID?: string } = {
      exitCode,
      reason: exitCode === 0 ? 'Completed' : 'Error',
      finishedAt: nowIso(),
    };
    if ('running' in this.state) terminated.startedAt = this.state.running.startedAt;
    if (this.containerID) terminated.containerID = this.containerID;
    this.state = { terminated };
    this.ready = false;
    this.started = false;
    this.logs.end();
  }

  private restartOrFinish(exitCode: number): void {
    const policy = this.pod.restartPolicy;
    if (policy === 'Never' || (policy === 'OnFailure' && exitCode === 0)) {
      this.final = true;
      return;
    }
    const delay = this.restartCount === 0 ? 0 : Math.min(this.timing.backoffBaseMs * 2 ** (this.restartCount - 1), this.timing.backoffMaxMs);
    this.lastState = this.state;
    const restart = () => {
      this.restartCount++;
      this.run();
    };
    if (delay === 0) return restart();
    const { name, namespace, uid } = this.pod;
    const message = `back-off ${formatGoDuration(delay)} restarting failed container=${this.name} pod=${name}_${namespace}(${uid})`;
    this.state = { waiting: { reason: 'CrashLoopBackOff', message } };
    this.runTimer = setTimeout(() => {
      restart();
      this.changed();
    }, delay).unref();
  }
}
