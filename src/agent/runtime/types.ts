// The contract between the node agent and a container runtime. The agent owns
// the API side (watching pods bound to its nodes, resolving env from Secrets and
// ConfigMaps, writing pod status); a runtime only runs containers and reports
// their states. Runtimes: `simulated` (thousands of nodes in one process, like
// KWOK) and `process` (containers' commands as real processes).

import type { Readable } from 'node:stream';
import type { KObject } from '../../api/object.js';

/** A container as the runtime needs it: env already resolved (Secrets, ConfigMaps, fieldRefs). */
export interface ContainerLaunch {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env: { name: string; value: string }[];
  ports: { containerPort: number; protocol?: string; name?: string }[];
  readinessProbe?: Record<string, unknown>;
  livenessProbe?: Record<string, unknown>;
  startupProbe?: Record<string, unknown>;
}

export interface PodLaunch {
  uid: string;
  namespace: string;
  name: string;
  nodeName: string;
  restartPolicy: 'Always' | 'OnFailure' | 'Never';
  terminationGracePeriodSeconds: number;
  containers: ContainerLaunch[];
  /** The pod object as last seen (read-only). */
  pod: KObject;
}

/** Kubernetes' container state shapes (v1.ContainerState). */
export type ContainerState =
  | { waiting: { reason: string; message?: string } }
  | { running: { startedAt: string } }
  | { terminated: { exitCode: number; reason: string; message?: string; startedAt?: string; finishedAt: string; signal?: number } };

export interface ContainerRuntimeStatus {
  name: string;
  image: string;
  state: ContainerState;
  lastState?: ContainerState;
  ready: boolean;
  started: boolean;
  restartCount: number;
  containerID?: string;
  /** The resolved image (`<repo>@sha256:<digest>`); the agent reports '' when absent. */
  imageID?: string;
}

export interface PodRuntimeStatus {
  containers: ContainerRuntimeStatus[];
  /** All containers terminated and will not restart: the pod's final phase. */
  terminalPhase?: 'Succeeded' | 'Failed';
}

export interface LogOptions {
  container: string;
  follow?: boolean;
  tailLines?: number;
  previous?: boolean;
  timestamps?: boolean;
  sinceSeconds?: number;
  limitBytes?: number;
}

export interface Runtime {
  readonly name: 'simulated' | 'process';
  /** Start the pod's containers, or keep them as they are if already running (idempotent). */
  sync(pod: PodLaunch): void;
  /** Stop the pod's containers (SIGTERM, then SIGKILL after the grace period); resolves when all are stopped. */
  kill(uid: string, gracePeriodSeconds: number): Promise<void>;
  /** Forget a pod entirely (after its object is gone). */
  remove(uid: string): void;
  status(uid: string): PodRuntimeStatus | undefined;
  /** A stream of log text, or undefined when the container has no logs (yet). */
  logs(uid: string, opts: LogOptions): Readable | undefined;
  /** Called (coalesce as you like) whenever a pod's runtime status changes. */
  onChange(listener: (uid: string) => void): void;
  close(): Promise<void>;
}
