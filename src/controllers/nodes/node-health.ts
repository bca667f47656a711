// Reading a node's health (Ready condition, last heartbeat) and writing the
// verdict the node controller gives when the heartbeat stops: every standard
// condition becomes Unknown, as kube's node lifecycle controller reports it.

import { isPlainObject, type KObject } from '../../api/object.js';

export const NODE_CONDITION_TYPES = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];
export const REASON_UNKNOWN = 'NodeStatusUnknown';
export const MESSAGE_UNKNOWN = 'Kubelet stopped posting node status.';
export const REASON_NEVER_UPDATED = 'NodeStatusNeverUpdated';
export const MESSAGE_NEVER_UPDATED = 'Kubelet never posted node status.';

type Condition = Record<string, unknown>;

const sectionOf = (o: KObject, name: string): Record<string, unknown> => (isPlainObject(o[name]) ? o[name] : {});
const conditions = (node: KObject): Condition[] => {
  const c = sectionOf(node, 'status').conditions;
  return Array.isArray(c) ? c.filter(isPlainObject) : [];
};

export function readyStatus(node: KObject): string | undefined {
  const ready = conditions(node).find((c) => c.type === 'Ready');
  return typeof ready?.status === 'string' ? ready.status : undefined;
}

const timeOf = (v: unknown): number | undefined => {
  if (typeof v !== 'string' || !v) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
};

/** The latest sign of life: the Lease's renewTime or the Ready condition's lastHeartbeatTime. */
export function lastHeartbeat(node: KObject, lease: KObject | undefined): number | undefined {
  const renew = lease ? timeOf(sectionOf(lease, 'spec').renewTime) : undefined;
  const ready = conditions(node).find((c) => c.type === 'Ready');
  const posted = timeOf(ready?.lastHeartbeatTime);
  if (renew === undefined) return posted;
  return posted === undefined ? renew : Math.max(renew, posted);
}

/**
 * Sets the standard conditions of `node` (a copy) to Unknown. Conditions the
 * agent never posted are added, saying so. Returns false when all were Unknown.
 */
export function markConditionsUnknown(node: KObject, now: string): boolean {
  const status = (node.status = { ...sectionOf(node, 'status') });
  const conds = conditions(node).map((c) => ({ ...c }));
  let changed = false;
  for (const type of NODE_CONDITION_TYPES) {
    const c = conds.find((x) => x.type === type);
    if (!c) {
      const created = node.metadata.creationTimestamp ?? now;
      conds.push({ type, status: 'Unknown', reason: REASON_NEVER_UPDATED, message: MESSAGE_NEVER_UPDATED, lastHeartbeatTime: created, lastTransitionTime: now });
      changed = true;
    } else if (c.status !== 'Unknown') {
      Object.assign(c, { status: 'Unknown', reason: REASON_UNKNOWN, message: MESSAGE_UNKNOWN, lastTransitionTime: now });
      changed = true;
    }
  }
  status.conditions = conds;
  return changed;
}

/** A pod's Ready condition turned False (kube's MarkPodsNotReady); false when it was not True. */
export function markPodNotReady(pod: KObject, now: string): boolean {
  const status = (pod.status = { ...sectionOf(pod, 'status') });
  const raw = Array.isArray(status.conditions) ? status.conditions.filter(isPlainObject) : [];
  const i = raw.findIndex((c) => c.type === 'Ready');
  if (i < 0 || raw[i].status !== 'True') return false;
  const conds = raw.slice();
  conds[i] = { ...raw[i], status: 'False', lastTransitionTime: now };
  status.conditions = conds;
  return true;
}
