// Keeps one container of a pod running as the kubelet would: starts an
// instance, probes it (startup, then liveness and readiness), restarts it by
// the pod's restartPolicy with CrashLoopBackOff between crashes, and reports
// its state, last state and restart count in Kubernetes' shapes. A new
// image (the pod spec's one mutable container field) replaces the running
// instance, as kubelet restarts a container whose definition changed. A
// container without a command cannot run here (there is no image to run):
// it waits in CreateContainerError.

import { isAbsolute, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { ContainerLaunch, ContainerRuntimeStatus, ContainerState, LogOptions, PodLaunch } from '../types.js';
import { goDuration, rfc3339 } from './clock.js';
import { ContainerInstance, type ExitInfo } from './container-instance.js';
import { CrashBackoff } from './crash-backoff.js';
import { readLog } from './log-reader.js';
import { probeCheck } from './probe-check.js';
import { Prober, probeTiming } from './prober.js';
import type { RunAs } from './run-as.js';

export interface WorkerSettings {
  /** `<rootDir>/pods/<uid>`: logs per container below it, default working directory `root`. */
  podDir: string;
  probeIntervalScale: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** The user the container's processes run as (default the agent's). */
  runAs?: RunAs;
  onChange(): void;
}

/** Why a container without a command cannot start: the image's entrypoint is unknown here. */
export const NO_COMMAND = 'no command to run: the process runtime runs container commands, not images';

interface Run {
  instance: ContainerInstance;
  /** Settles once the instance's exit has been handled. */
  handled: Promise<void>;
}

export class ContainerWorker {
  private state: ContainerState = { waiting: { reason: 'ContainerCreating' } };
  private lastState: ContainerState | undefined;
  /** The instances whose logs `state` and `lastState` refer to. */
  private stateInstance: ContainerInstance | undefined;
  private lastInstance: ContainerInstance | undefined;
  private run: Run | undefined;
  private runs = 0;
  private ready = false;
  private started = false;
  private probers: Prober[] = [];
  private readonly backoff: CrashBackoff;
  private backoffTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private replacing = false;
  /** Terminated for good: no run will follow. */
  final = false;

  constructor(
    private launch: ContainerLaunch,
    private pod: PodLaunch,
    private readonly settings: WorkerSettings,
  ) {
    this.backoff = new CrashBackoff(settings.backoffBaseMs, settings.backoffMaxMs);
  }

  get exitCode(): number | undefined {
    return 'terminated' in this.state ? this.state.terminated.exitCode : undefined;
  }

  start(): void {
    this.startRun();
  }

  /** A newer pod object: only the image may have changed, and a new image means a new instance. */
  update(launch: ContainerLaunch, pod: PodLaunch): void {
    const imageChanged = launch.image !== this.launch.image;
    this.launch = launch;
    this.pod = pod;
    if (!imageChanged || this.final || this.stopping) return;
    if (this.run) {
      this.replacing = true;
      void this.run.instance.stop(this.graceMs());
    } else if (this.backoffTimer) {
      clearTimeout(this.backoffTimer);
      this.backoffTimer = undefined;
      this.startRun();
    }
  }

  /** Stops the container for good: SIGTERM, SIGKILL after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    clearTimeout(this.backoffTimer);
    this.backoffTimer = undefined;
    if (this.run) {
      const run = this.run;
      await run.instance.stop(graceMs);
      await run.handled;
      return;
    }
    if (!this.final) {
      if ('waiting' in this.state && this.lastState) {
        this.state = this.lastState;
        this.stateInstance = this.lastInstance;
      }
      this.final = true;
      this.settings.onChange();
    }
  }

  status(): ContainerRuntimeStatus {
    const id = (this.stateInstance ?? this.lastInstance)?.id;
    // A run reports the image it started with (the spec may already name the next one).
    const image = ('waiting' in this.state ? undefined : this.stateInstance?.image) ?? this.launch.image;
    return {
      name: this.launch.name,
      image,
      state: this.state,
      ...(this.lastState ? { lastState: this.lastState } : {}),
      ready: this.ready,
      started: this.started,
      restartCount: Math.max(0, this.runs - 1),
      ...(id ? { containerID: id } : {}),
    };
  }

  logs(opts: LogOptions): Readable | undefined {
    const waiting = 'waiting' in this.state;
    const instance = opts.previous || waiting ? (this.lastState ? this.lastInstance : undefined) : this.stateInstance;
    if (!instance) return undefined;
    return readLog(instance.log.path, opts, instance.log);
  }

  private startRun(): void {
    const argv = this.argv();
    if (!argv) {
      this.state = { waiting: { reason: 'CreateContainerError', message: NO_COMMAND } };
      this.stateInstance = undefined;
      this.settings.onChange();
      return;
    }
    const index = this.runs++;
    const env = this.env();
    const instance = new ContainerInstance({
      argv,
      image: this.launch.image,
      env,
      cwd: this.workingDir(),
      logPath: join(this.settings.podDir, this.launch.name, `${index}.log`),
      runAs: this.settings.runAs,
    });
    const handled = (async () => {
      if (await instance.spawned) this.onRunning(instance);
      this.onExit(instance, await instance.exited);
    })();
    this.run = { instance, handled };
  }

  private onRunning(instance: ContainerInstance): void {
    if (this.run?.instance !== instance || this.stopping) return;
    this.state = { running: { startedAt: rfc3339(instance.startedAtMs) } };
    this.stateInstance = instance;
    const { startupProbe, livenessProbe, readinessProbe } = this.launch;
    this.started = !startupProbe;
    this.ready = this.started && !readinessProbe;
    if (startupProbe) {
      this.probe(instance, startupProbe, false, (ok) => {
        if (!ok) return this.killForProbe(instance, startupProbe);
        this.started = true;
        this.ready = !readinessProbe;
        this.probeRunning(instance);
      });
    } else this.probeRunning(instance);
    this.settings.onChange();
  }

  /** Liveness and readiness probes, which start once the container has started. */
  private probeRunning(instance: ContainerInstance): void {
    const { livenessProbe, readinessProbe } = this.launch;
    if (livenessProbe) this.probe(instance, livenessProbe, true, (ok) => ok || this.killForProbe(instance, livenessProbe));
    if (readinessProbe) this.probe(instance, readinessProbe, false, (ok) => (this.ready = ok));
  }

  private probe(instance: ContainerInstance, spec: Record<string, unknown>, initial: boolean, onChange: (ok: boolean) => unknown): void {
    const target = { ports: this.launch.ports, env: this.env(), cwd: this.workingDir(), runAs: this.settings.runAs };
    const prober = new Prober(probeCheck(spec, target), probeTiming(spec, this.settings.probeIntervalScale), initial, (ok) => {
      if (this.run?.instance !== instance) return;
      onChange(ok);
      this.settings.onChange();
    });
    this.probers.push(prober);
    prober.start(instance.startedAtMs);
  }

  private killForProbe(instance: ContainerInstance, spec: Record<string, unknown>): void {
    this.stopProbes();
    const grace = typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds * 1000 : this.graceMs();
    void instance.stop(grace);
  }

  private onExit(instance: ContainerInstance, exit: ExitInfo): void {
    this.stopProbes();
    this.run = undefined;
    this.ready = false;
    this.started = false;
    const terminated: ContainerState = { terminated: exit };
    this.state = terminated;
    this.stateInstance = instance;
    if (this.replacing && !this.stopping) {
      this.replacing = false;
      this.lastState = terminated;
      this.lastInstance = instance;
      this.startRun();
    } else if (this.stopping || !this.shouldRestart(exit.exitCode)) {
      this.final = true;
    } else {
      this.lastState = terminated;
      this.lastInstance = instance;
      this.restartAfterBackoff();
    }
    this.settings.onChange();
  }

  private restartAfterBackoff(): void {
    const finishedAt = Date.now();
    const wait = this.backoff.remaining(finishedAt, finishedAt);
    const restart = () => {
      this.backoffTimer = undefined;
      this.backoff.next(finishedAt, Date.now());
      this.startRun();
    };
    if (wait === 0) return restart();
    const { name, namespace, uid } = this.pod;
    this.state = {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off ${goDuration(this.backoff.current)} restarting failed container=${this.launch.name} pod=${name}_${namespace}(${uid})`,
      },
    };
    this.stateInstance = undefined;
    this.backoffTimer = setTimeout(() => {
      restart();
      this.settings.onChange();
    }, wait);
  }

  private shouldRestart(exitCode: number): boolean {
    const policy = this.pod.restartPolicy;
    return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
  }

  private stopProbes(): void {
    for (const p of this.probers) p.stop();
    this.probers = [];
  }

  private graceMs(): number {
    return this.pod.terminationGracePeriodSeconds * 1000;
  }

  /** The container's environment exactly as given, plus the agent's PATH to find commands. */
  private env(): Record<string, string> {
    const env: Record<string, string> = {};
    if (process.env.PATH) env.PATH = process.env.PATH;
    for (const e of this.launch.env) env[e.name] = e.value;
    return env;
  }

  /** command + args (the agent has expanded `$(VAR)` already); undefined without a command. */
  private argv(): string[] | undefined {
    const { command, args } = this.launch;
    return command?.length ? [...command, ...(args ?? [])] : undefined;
  }

  private workingDir(): string {
    const root = join(this.settings.podDir, 'root');
    const dir = this.launch.workingDir;
    return !dir ? root : isAbsolute(dir) ? dir : join(root, dir);
  }
}
