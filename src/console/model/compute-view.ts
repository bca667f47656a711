// The compute.miloapis.com Workload as an operator reads it: phase and
// replica counts from status, its conditions, and its pods (those it controls
// through ownerReferences) grouped by the node they run on.

import type { KObject } from '../../api/object.js';
import { conditionsOf, podsByNode, specOf, statusOf, type Condition } from './pods.js';

export interface ComputeWorkloadView {
  phase: string;
  desired: number;
  replicas: number;
  ready: number;
  updated: number;
  available: number;
  /** True once status describes the current spec (observedGeneration caught up). */
  current: boolean;
  conditions: Condition[];
  byNode: { node: string | undefined; pods: KObject[] }[];
}

const num = (v: unknown, d = 0): number => (typeof v === 'number' ? v : d);

/** Pods whose controlling owner is this Workload (matched by uid, so a recreated Workload's old pods are not its own). */
export function ownedPods(owner: KObject, pods: readonly KObject[]): KObject[] {
  const uid = owner.metadata.uid;
  return pods.filter((p) => p.metadata.namespace === owner.metadata.namespace && p.metadata.ownerReferences?.some((r) => r.controller && r.uid === uid));
}

export function computeWorkloadView(w: KObject, pods: readonly KObject[]): ComputeWorkloadView {
  const st = statusOf(w);
  const mine = ownedPods(w, pods);
  return {
    phase: typeof st.phase === 'string' ? st.phase : 'Pending',
    desired: num(specOf(w).replicas, 1),
    replicas: num(st.replicas),
    ready: num(st.readyReplicas),
    updated: num(st.updatedReplicas),
    available: num(st.availableReplicas),
    current: st.observedGeneration === w.metadata.generation,
    conditions: conditionsOf(w),
    byNode: podsByNode(mine),
  };
}
