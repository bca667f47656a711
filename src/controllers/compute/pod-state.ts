// What the workload controller reads from a pod's status (written by the
// scheduler and the node agent): bound, ready, terminating, or stuck in a way
// that will not fix itself soon (crash loop, image pull, missing Secret).

import { isPlainObject, type KObject } from '../../api/object.js';
import { section } from '../../api/core/columns.js';

type Obj = Record<string, unknown>;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);

/** Waiting reasons that mean the container cannot start as things stand. */
export const FAILING_REASONS = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

export const isTerminating = (pod: KObject): boolean => !!pod.metadata.deletionTimestamp;

export const isBound = (pod: KObject): boolean => typeof section(pod, 'spec').nodeName === 'string' && section(pod, 'spec').nodeName !== '';

const phaseOf = (pod: KObject): string => String(section(pod, 'status').phase ?? 'Pending');

/** Succeeded or Failed: the pod will never run again and does not count as a replica. */
export const isFinished = (pod: KObject): boolean => phaseOf(pod) === 'Succeeded' || phaseOf(pod) === 'Failed';

/** Counts as one of the workload's replicas: not being deleted and not finished. */
export const isActive = (pod: KObject): boolean => !isTerminating(pod) && !isFinished(pod);

export function isReady(pod: KObject): boolean {
  if (phaseOf(pod) !== 'Running') return false;
  return list(section(pod, 'status').conditions).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Why the pod cannot run, e.g. `CreateContainerConfigError: secret "db" not found`; undefined when it is not failing. */
export function failureOf(pod: KObject): string | undefined {
  if (phaseOf(pod) === 'Failed') {
    const st = section(pod, 'status');
    return [st.reason, st.message].filter((s) => typeof s === 'string' && s).join(': ') || 'pod failed';
  }
  const st = section(pod, 'status');
  for (const cs of [...list(st.initContainerStatuses), ...list(st.containerStatuses)]) {
    const waiting = isPlainObject(cs.state) && isPlainObject(cs.state.waiting) ? cs.state.waiting : undefined;
    const reason = typeof waiting?.reason === 'string' ? waiting.reason : '';
    if (FAILING_REASONS.has(reason)) {
      const message = typeof waiting?.message === 'string' && waiting.message ? `: ${waiting.message}` : '';
      return `${reason}${message}`;
    }
  }
  return undefined;
}

/** What the controller reads from a pod, computed once per stored version (informer objects never change). */
export interface PodFacts {
  bound: boolean;
  ready: boolean;
  active: boolean;
  restarts: number;
  created: string;
  name: string;
  /** failureOf(pod) */
  failure?: string;
}

const factsCache = new WeakMap<KObject, PodFacts>();

export function podFacts(pod: KObject): PodFacts {
  let f = factsCache.get(pod);
  if (!f) {
    f = { bound: isBound(pod), ready: isReady(pod), active: isActive(pod), restarts: restartsOf(pod), created: pod.metadata.creationTimestamp ?? '', name: pod.metadata.name ?? '', failure: failureOf(pod) };
    factsCache.set(pod, f);
  }
  return f;
}

/**
 * Scale-down order, most expendable first (as kube's ActivePods sort):
 * unscheduled before scheduled, not ready before ready, more restarts first,
 * then newest first.
 */
export function byExpendability(pa: KObject, pb: KObject): number {
  const a = podFacts(pa);
  const b = podFacts(pb);
  if (a.bound !== b.bound) return a.bound ? 1 : -1;
  if (a.ready !== b.ready) return a.ready ? 1 : -1;
  if (a.restarts !== b.restarts) return b.restarts - a.restarts;
  if (a.created !== b.created) return a.created < b.created ? 1 : -1;
  return a.name < b.name ? 1 : -1;
}

function restartsOf(pod: KObject): number {
  let n = 0;
  for (const cs of list(section(pod, 'status').containerStatuses)) n += typeof cs.restartCount === 'number' ? cs.restartCount : 0;
  return n;
}
