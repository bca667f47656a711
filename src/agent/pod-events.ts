// The Events kubelet records about a pod's containers (`kubectl describe pod`),
// derived from the difference between the status written before and the one
// about to be written: a new run (Pulled, Created, Started), a crash loop
// (BackOff), a missing Secret (Failed), and termination (Killing).

import type { KObject } from '../api/object.js';
import { EventRecorder } from '../client/event-recorder.js';
import type { Logger } from '../client/logger.js';
import type { Client } from '../client/types.js';

type Obj = Record<string, unknown>;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

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
        r.event(pod, 'Normal', 'Pulled', `Container image "${String(s.image)}" already present on machine`);
        r.event(pod, 'Normal', 'Created', `Created container: ${String(s.name)}`);
        r.event(pod, 'Normal', 'Started', `Started container ${String(s.name)}`);
      } else if (waiting.reason === 'CrashLoopBackOff' && oldWaiting.reason !== 'CrashLoopBackOff') {
        r.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${String(s.name)} in pod ${name}_${namespace}(${uid})`);
      } else if (waiting.reason === 'CreateContainerConfigError' && waiting.message !== oldWaiting.message) {
        r.event(pod, 'Warning', 'Failed', `Error: ${String(waiting.message)}`);
      }
    }
  }

  killing(pod: KObject, node: string): void {
    const r = this.recorder(node);
    for (const c of list(obj(pod.spec).containers)) r.event(pod, 'Normal', 'Killing', `Stopping container ${String(c.name)}`);
  }

  async flush(): Promise<void> {
    await Promise.all([...this.recorders.values()].map((r) => r.flush()));
  }
}
