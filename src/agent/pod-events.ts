// The Events kubelet records about a pod's containers (`kubectl describe pod`),
// derived from the difference between the status written before and the one
// about to be written: a new run (Pulled, Created, Started; Pulling first
// when the run brings a new image), a crash loop (BackOff), a container that
// cannot be created (Failed), and termination (Killing, also recorded when a
// container's definition changed and it is restarted).

import type { KObject } from '../api/object.js';
import { EventRecorder } from '../client/event-recorder.js';
import type { Logger } from '../client/logger.js';
import type { Client } from '../client/types.js';

type Obj = Record<string, unknown>;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** Waiting reasons of a container kubelet could not create: each new one is a Warning `Failed`. */
const CREATE_ERRORS = new Set(['CreateContainerConfigError', 'CreateContainerError']);

export class PodEvents {
  private readonly recorders = new Map<string, EventRecorder>();

  constructor(
    private readonly client: Client,
    private readonly log: Logger,
  ) {}

  private recorder(node: string): EventRecorder {
    let r = this.recorders.get(node);
    if (!r) this.recorders.set(node, (r = new EventRecorder(this.client, { component: 'kubelet', host: node, cacheSize: 256, log: this.log })));
    return r;
  }

  /** Records what changed between the pod's current container statuses and `next`. */
  statusChanged(pod: KObject, node: string, next: Obj): void {
    const before = new Map(list(obj(pod.status).containerStatuses).map((s) => [s.name, s]));
    const r = this.recorder(node);
    const { name, namespace, uid } = pod.metadata;
    for (const s of list(next.containerStatuses)) {
      const old = before.get(s.name) ?? {};
      const state = obj(s.state);
      const waiting = obj(state.waiting);
      const oldWaiting = obj(obj(old.state).waiting);
      if (state.running && s.containerID && s.containerID !== old.containerID) {
        const image = String(s.image);
        // A run after one of another image: the node had to get the new image first.
        if (old.containerID && old.image !== s.image) {
          r.event(pod, 'Normal', 'Pulling', `Pulling image "${image}"`);
          r.event(pod, 'Normal', 'Pulled', `Successfully pulled image "${image}" in 0s (0s including waiting)`);
        } else r.event(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
        r.event(pod, 'Normal', 'Created', `Created container: ${String(s.name)}`);
        r.event(pod, 'Normal', 'Started', `Started container ${String(s.name)}`);
      } else if (waiting.reason === 'CrashLoopBackOff' && oldWaiting.reason !== 'CrashLoopBackOff') {
        r.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${String(s.name)} in pod ${name}_${namespace}(${uid})`);
      } else if (CREATE_ERRORS.has(String(waiting.reason)) && (waiting.reason !== oldWaiting.reason || waiting.message !== oldWaiting.message)) {
        r.event(pod, 'Warning', 'Failed', `Error: ${String(waiting.message)}`);
      }
    }
  }

  /** A running container whose spec changed (a new image) is about to be stopped and started again. */
  definitionChanged(pod: KObject, node: string, container: string): void {
    this.recorder(node).event(pod, 'Normal', 'Killing', `Container ${container} definition changed, will be restarted`);
  }

  killing(pod: KObject, node: string): void {
    const r = this.recorder(node);
    for (const c of list(obj(pod.spec).containers)) r.event(pod, 'Normal', 'Killing', `Stopping container ${String(c.name)}`);
  }

  async flush(): Promise<void> {
    await Promise.all([...this.recorders.values()].map((r) => r.flush()));
  }
}
