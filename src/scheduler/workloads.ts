// Pods that name a scheduling.k8s.io Workload: which policy their pod group
// has, which pods form each group replica (the gang: namespace, workload,
// pod group, replica key), and the messages shown while they wait.

import { isPlainObject, type KObject } from '../api/object.js';
import { objectKey } from '../client/object-key.js';
import { isTerminal, workloadRefOf, type WorkloadRef } from './pod-info.js';

export const WORKLOADS = { group: 'scheduling.k8s.io', version: 'v1alpha1', resource: 'workloads' };

export type GroupPolicy =
  | { kind: 'basic' }
  | { kind: 'gang'; minCount: number }
  | { kind: 'missing'; message: string };

/** `ns/workload/group`, plus `/replicaKey` when the pod names one. */
export function gangName(namespace: string, ref: WorkloadRef): string {
  const base = `${namespace}/${ref.name}/${ref.podGroup}`;
  return ref.replicaKey ? `${base}/${ref.replicaKey}` : base;
}

/** The policy of the pod group `ref` names, given the Workload object (undefined: not there). */
export function policyOf(workload: KObject | undefined, ref: WorkloadRef): GroupPolicy {
  if (!workload) return { kind: 'missing', message: `waiting for Workload "${ref.name}" (pod group "${ref.podGroup}") to exist` };
  const spec = isPlainObject(workload.spec) ? workload.spec : {};
  const groups = Array.isArray(spec.podGroups) ? spec.podGroups.filter(isPlainObject) : [];
  const g = groups.find((x) => x.name === ref.podGroup);
  if (!g) return { kind: 'missing', message: `waiting for pod group "${ref.podGroup}" to exist in Workload "${ref.name}"` };
  const policy = isPlainObject(g.policy) ? g.policy : {};
  if (isPlainObject(policy.gang)) {
    const minCount = Number(policy.gang.minCount);
    if (Number.isInteger(minCount) && minCount > 0) return { kind: 'gang', minCount };
  }
  return { kind: 'basic' };
}

export const gangWaitingMessage = (gang: string, minCount: number) => `waiting for gang "${gang}" to reach minCount ${minCount} pods`;

export const gangUnfitMessage = (gang: string, members: number, minCount: number, placed: number, why: string) =>
  `gang "${gang}" of ${members} pods needs minCount ${minCount}, only ${placed} can be placed together: ${why}`;

/**
 * Live members of every gang: pods (bound or not) that name a pod group and
 * have neither ended nor started deleting. Kept incrementally from pod events.
 */
export class GangIndex {
  private readonly members = new Map<string, Set<string>>();
  private readonly gangOf = new Map<string, string>();

  /** Records the pod; returns its gang's name when it is a live member. */
  observe(pod: KObject): string | undefined {
    const key = objectKey(pod);
    const ref = workloadRefOf(pod);
    const gang = ref && !isTerminal(pod) && !pod.metadata.deletionTimestamp ? gangName(pod.metadata.namespace ?? '', ref) : undefined;
    const before = this.gangOf.get(key);
    if (before === gang) return gang;
    if (before !== undefined) this.drop(key, before);
    if (gang !== undefined) {
      this.gangOf.set(key, gang);
      let set = this.members.get(gang);
      if (!set) this.members.set(gang, (set = new Set()));
      set.add(key);
    }
    return gang;
  }

  remove(pod: KObject): string | undefined {
    const key = objectKey(pod);
    const before = this.gangOf.get(key);
    if (before !== undefined) this.drop(key, before);
    return before;
  }

  membersOf(gang: string): ReadonlySet<string> {
    return this.members.get(gang) ?? EMPTY;
  }

  private drop(key: string, gang: string): void {
    this.gangOf.delete(key);
    const set = this.members.get(gang);
    set?.delete(key);
    if (set?.size === 0) this.members.delete(gang);
  }
}

const EMPTY: ReadonlySet<string> = new Set();
