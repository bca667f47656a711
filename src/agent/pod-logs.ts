// `kubectl logs` as kubelet answers it: picks the container (the only one, or
// the one named), then asks the runtime, turning "no such run" into kubelet's
// messages: a container name is needed, the name is unknown, the container
// has not started yet, or --previous names no earlier run.

import type { Readable } from 'node:stream';
import { badRequest, notFound } from '../api/errors.js';
import type { KObject } from '../api/object.js';
import type { LogRequest } from './log-source.js';
import type { Runtime } from './runtime/types.js';

type Obj = Record<string, unknown>;
const names = (v: unknown): string[] => (Array.isArray(v) ? (v as Obj[]).map((c) => String(c.name)) : []);

export function podLogs(pod: KObject | undefined, name: string, runtime: Runtime, opts: LogRequest): Readable {
  if (!pod) throw notFound('pods', name);
  const spec = (pod.spec ?? {}) as Obj;
  const containers = names(spec.containers);
  const init = names(spec.initContainers);
  let container = opts.container ?? '';
  if (!container) {
    if (containers.length !== 1) {
      const initPart = init.length ? ` or one of the init containers: [${init.join(' ')}]` : '';
      throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]${initPart}`);
    }
    container = containers[0];
  }
  if (!containers.includes(container) && !init.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
  const stream = runtime.logs(pod.metadata.uid ?? '', { ...opts, container });
  if (stream) return stream;
  if (opts.previous) throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
  const statuses = ((pod.status as Obj | undefined)?.containerStatuses ?? []) as Obj[];
  const waiting = (statuses.find((s) => s.name === container)?.state as { waiting?: { reason?: string } } | undefined)?.waiting;
  throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ${waiting?.reason || 'ContainerCreating'}`);
}
