// Writes `PodScheduled=False` (reason Unschedulable) on pods the scheduler
// could not place, through the status subresource, and only when the pod does
// not already say exactly that. Writes run in the background, at most one per
// pod at a time (the latest message wins), guarded by resourceVersion so a
// pod bound meanwhile is never marked unschedulable.

import { isConflict, isNotFound } from '../api/errors.js';
import { clone, nowIso, type KObject } from '../api/object.js';
import type { Logger } from '../client/logger.js';
import { objectKey } from '../client/object-key.js';
import type { ResourceClient } from '../client/types.js';
import { nodeNameOf, podScheduledCondition } from './pod-info.js';

export const REASON_UNSCHEDULABLE = 'Unschedulable';

type Obj = Record<string, unknown>;

/** True when the pod already shows PodScheduled=False/Unschedulable with this message. */
export function showsUnschedulable(pod: KObject, message: string): boolean {
  const c = podScheduledCondition(pod);
  return c?.status === 'False' && c.reason === REASON_UNSCHEDULABLE && c.message === message;
}

function withCondition(pod: KObject, message: string): KObject {
  const next = clone(pod);
  const status = (next.status ??= {}) as Obj;
  const conds = (status.conditions ??= []) as Obj[];
  const i = conds.findIndex((c) => c.type === 'PodScheduled');
  const prev = i >= 0 ? conds[i] : undefined;
  const cond: Obj = {
    type: 'PodScheduled',
    status: 'False',
    lastProbeTime: null,
    lastTransitionTime: prev?.status === 'False' ? prev.lastTransitionTime : nowIso(),
    reason: REASON_UNSCHEDULABLE,
    message,
  };
  if (i < 0) conds.push(cond);
  else conds[i] = cond;
  return next;
}

const MAX_ATTEMPTS = 4;

export class ConditionWriter {
  private readonly wanted = new Map<string, string>();
  private readonly running = new Map<string, Promise<void>>();
  /** Conditions written so far. */
  writes = 0;

  constructor(
    private readonly pods: ResourceClient,
    /** The freshest copy the scheduler has (its informer's). */
    private readonly current: (key: string) => KObject | undefined,
    private readonly log: Logger,
  ) {}

  /** Makes the pod show `message` (no-op when it already does or a write of it is queued). */
  set(pod: KObject, message: string): void {
    const key = objectKey(pod);
    if (this.wanted.get(key) === message) return;
    if (!this.running.has(key) && showsUnschedulable(pod, message)) return;
    this.wanted.set(key, message);
    if (this.running.has(key)) return;
    const p = this.drain(key).finally(() => this.running.delete(key));
    this.running.set(key, p);
  }

  /** The pod was placed: a queued message is obsolete. */
  cancel(key: string): void {
    this.wanted.delete(key);
  }

  async flush(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running.values()]);
  }

  private async drain(key: string): Promise<void> {
    for (let message = this.wanted.get(key); message !== undefined; message = this.wanted.get(key)) {
      try {
        await this.write(key, message);
      } catch (err) {
        this.log.warn({ pod: key, err }, 'could not write PodScheduled condition');
      }
      if (this.wanted.get(key) === message) this.wanted.delete(key);
    }
  }

  private async write(key: string, message: string): Promise<void> {
    let pod = this.current(key);
    for (let attempt = 0; pod && attempt < MAX_ATTEMPTS; attempt++) {
      if (nodeNameOf(pod) || pod.metadata.deletionTimestamp || showsUnschedulable(pod, message)) return;
      try {
        await this.pods.updateStatus(pod.metadata.namespace, withCondition(pod, message));
        this.writes++;
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err)) throw err;
      }
      // Our copy was stale: read the pod again; it may have been bound in the meantime.
      const uid = pod.metadata.uid;
      pod = await this.pods.get(pod.metadata.namespace, pod.metadata.name ?? '');
      if (pod && pod.metadata.uid !== uid) return;
    }
  }
}
