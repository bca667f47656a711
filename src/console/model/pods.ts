// Reading pods as the console shows them: which node, which phase, ready or
// not, and why the scheduler has not bound one yet. Shared by the workload,
// node and gang views.

import type { KObject } from '../../api/object.js';

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export const specOf = (o: KObject): Record<string, unknown> => rec(o.spec);
export const statusOf = (o: KObject): Record<string, unknown> => rec(o.status);

export function conditionsOf(o: KObject): Condition[] {
  const cs = statusOf(o).conditions;
  return Array.isArray(cs) ? cs.filter((c): c is Condition => typeof rec(c).type === 'string' && typeof rec(c).status === 'string') : [];
}

export const conditionOf = (o: KObject, type: string): Condition | undefined => conditionsOf(o).find((c) => c.type === type);

export const nodeNameOf = (pod: KObject): string | undefined => str(specOf(pod).nodeName);
export const podPhase = (pod: KObject): string => str(statusOf(pod).phase) ?? 'Pending';
export const isPodReady = (pod: KObject): boolean => conditionOf(pod, 'Ready')?.status === 'True';
export const isTerminated = (pod: KObject): boolean => ['Succeeded', 'Failed'].includes(podPhase(pod));

/** The time an event last happened, whichever of kube's timestamp fields it carries. */
export function eventTime(ev: KObject): string {
  const e = ev as Record<string, unknown>;
  return str(e.lastTimestamp) ?? str(e.eventTime) ?? str(e.firstTimestamp) ?? ev.metadata.creationTimestamp ?? '';
}

export interface InvolvedObject {
  kind?: string;
  name?: string;
  namespace?: string;
  uid?: string;
  apiVersion?: string;
}

export const involvedObject = (ev: KObject): InvolvedObject => rec((ev as Record<string, unknown>).involvedObject) as InvolvedObject;

/**
 * Why an unbound pod waits: the scheduler's PodScheduled=False condition when
 * it wrote one, else its latest FailedScheduling event, else plain waiting.
 */
export function waitingReason(pod: KObject, events: readonly KObject[]): { reason: string; message: string } {
  const c = conditionOf(pod, 'PodScheduled');
  if (c && c.status === 'False') return { reason: c.reason ?? 'Unschedulable', message: c.message ?? '' };
  let latest: KObject | undefined;
  for (const ev of events) {
    if ((ev as Record<string, unknown>).reason !== 'FailedScheduling') continue;
    const io = involvedObject(ev);
    if (io.kind !== 'Pod' || io.name !== pod.metadata.name || (io.namespace ?? ev.metadata.namespace) !== pod.metadata.namespace) continue;
    if (io.uid && pod.metadata.uid && io.uid !== pod.metadata.uid) continue;
    if (!latest || eventTime(ev) >= eventTime(latest)) latest = ev;
  }
  if (latest) return { reason: 'FailedScheduling', message: str((latest as Record<string, unknown>).message) ?? '' };
  return { reason: 'Pending', message: 'waiting for the scheduler' };
}

/** Pods grouped by the node they are bound to; unbound pods come last under `undefined`. */
export function podsByNode(pods: readonly KObject[]): { node: string | undefined; pods: KObject[] }[] {
  const m = new Map<string | undefined, KObject[]>();
  for (const p of pods) {
    const n = nodeNameOf(p);
    let l = m.get(n);
    if (!l) m.set(n, (l = []));
    l.push(p);
  }
  return [...m.entries()]
    .sort(([a], [b]) => (a === undefined ? 1 : b === undefined ? -1 : a.localeCompare(b)))
    .map(([node, ps]) => ({ node, pods: ps }));
}
