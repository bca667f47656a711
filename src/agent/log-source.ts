// Where `kubectl logs` text comes from: the agent that runs the pod. The API
// server's pods/log handler asks a LogSource (in-process agents directly via
// local-log-sources.ts; remote agents over their HTTPS log endpoint), so it
// never needs to know which runtime ran the container.

import type { Readable } from 'node:stream';
import type { LogOptions } from './runtime/types.js';

/** LogOptions where the container may be left out (the only container is meant). */
export type LogRequest = Omit<LogOptions, 'container'> & { container?: string };

export interface LogSource {
  /**
   * The container's log stream. Rejects with an ApiError as kubelet words it:
   * 404 for an unknown pod; 400 when a container name is needed, unknown, not
   * started yet, or `previous` names no earlier run.
   */
  logs(namespace: string, podName: string, opts: LogRequest): Promise<Readable>;
}
