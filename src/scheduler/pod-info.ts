// What the scheduler needs to know about a pod, read once from the object:
// requests, placement constraints, its Workload reference, and whether it is
// waiting for this scheduler at all.

import { isPlainObject, type KObject } from '../api/object.js';
import { objectKey } from '../client/object-key.js';
import { compileNodeAffinity, type NodeMatcher } from './node-affinity.js';
import { DEFAULT_SCORE_CPU, DEFAULT_SCORE_MEMORY, podRequests } from './resources.js';
import type { Toleration } from './taints.js';

export const DEFAULT_SCHEDULER = 'default-scheduler';

export interface WorkloadRef {
  name: string;
  podGroup: string;
  replicaKey: string;
}

export interface PodInfo {
  key: string;
  uid: string;
  namespace: string;
  name: string;
  pod: KObject;
  cpu: number;
  memory: number;
  /** Requests used for scoring: never zero, so best-effort pods spread too. */
  scoreCpu: number;
  scoreMemory: number;
  tolerations: Toleration[];
  /** Undefined when the pod accepts any node (no nodeSelector, no required node affinity). */
  nodeMatcher?: NodeMatcher;
  workloadRef?: WorkloadRef;
}

type Obj = Record<string, unknown>;
const spec = (pod: KObject): Obj => (isPlainObject(pod.spec) ? pod.spec : {});
const str = (v: unknown) => (typeof v === 'string' ? v : '');

export function podInfo(pod: KObject): PodInfo {
  const s = spec(pod);
  const r = podRequests(s);
  const tolerations = Array.isArray(s.tolerations) ? (s.tolerations.filter(isPlainObject) as Toleration[]) : [];
  return {
    key: objectKey(pod),
    uid: pod.metadata.uid ?? '',
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name ?? '',
    pod,
    cpu: r.cpu,
    memory: r.memory,
    scoreCpu: r.cpu || DEFAULT_SCORE_CPU,
    scoreMemory: r.memory || DEFAULT_SCORE_MEMORY,
    tolerations,
    nodeMatcher: compileNodeAffinity(s),
    workloadRef: workloadRefOf(pod),
  };
}

export function workloadRefOf(pod: KObject): WorkloadRef | undefined {
  const ref = spec(pod).workloadRef;
  if (!isPlainObject(ref) || !str(ref.name) || !str(ref.podGroup)) return undefined;
  return { name: str(ref.name), podGroup: str(ref.podGroup), replicaKey: str(ref.podGroupReplicaKey) };
}

export const nodeNameOf = (pod: KObject): string => str(spec(pod).nodeName);

export function isTerminal(pod: KObject): boolean {
  const phase = isPlainObject(pod.status) ? pod.status.phase : undefined;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Unbound, alive, ungated, and addressed to `schedulerName`. */
export function isPendingFor(pod: KObject, schedulerName: string): boolean {
  const s = spec(pod);
  if (str(s.nodeName) || pod.metadata.deletionTimestamp || isTerminal(pod)) return false;
  if ((str(s.schedulerName) || DEFAULT_SCHEDULER) !== schedulerName) return false;
  return !(Array.isArray(s.schedulingGates) && s.schedulingGates.length > 0);
}

/** The PodScheduled condition as the pod currently shows it. */
export function podScheduledCondition(pod: KObject): Obj | undefined {
  const conds = isPlainObject(pod.status) && Array.isArray(pod.status.conditions) ? pod.status.conditions : [];
  return conds.find((c): c is Obj => isPlainObject(c) && c.type === 'PodScheduled');
}

/** Oldest first, then by name: the order members of a gang are placed in. */
export function byAge(a: KObject, b: KObject): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const na = a.metadata.name ?? '';
  const nb = b.metadata.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}
