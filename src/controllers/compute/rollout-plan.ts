// The next step towards `replicas` ready pods on the current template, with
// one surge pod and no unavailability (kube's RollingUpdate with maxSurge 1,
// maxUnavailable 0). Pure: the controller executes the plan, the world
// changes, and the next reconcile plans again.
//
// Old pods go only while the pods left (not counting new pods that are not
// ready yet) still number `replicas`, and a ready old pod goes only while as
// many ready pods remain; new pods are created while there are fewer than
// `replicas` of them and fewer than `replicas + 1` pods in all (pure scale-ups
// have no old pods, so they create everything missing at once).

import type { KObject } from '../../api/object.js';
import { TEMPLATE_HASH_LABEL } from './resources.js';
import { byExpendability, podFacts } from './pod-state.js';

export const MAX_SURGE = 1;

export interface RolloutPlan {
  /** Pods to delete, in order. */
  deletes: KObject[];
  /** New pods to create from the current template. */
  creates: number;
  /** Pods on the current template / on older templates (active pods only). */
  current: KObject[];
  old: KObject[];
}

export const podHash = (pod: KObject): string | undefined => pod.metadata.labels?.[TEMPLATE_HASH_LABEL];

/** `active`: the workload's pods that are neither terminating nor finished. */
export function planRollout(active: readonly KObject[], hash: string, replicas: number): RolloutPlan {
  const current: KObject[] = [];
  const old: KObject[] = [];
  for (const p of active) (podHash(p) === hash ? current : old).push(p);
  const deletes: KObject[] = [];

  // Too many current pods (scale-down): the most expendable go. Sorting is
  // skipped when nothing goes: this runs on every pod event of the workload.
  const excess = Math.max(0, current.length - replicas);
  let keptCurrent = current;
  if (excess > 0) {
    const sorted = [...current].sort(byExpendability);
    deletes.push(...sorted.slice(0, excess));
    keptCurrent = sorted.slice(excess);
  }

  let currentUnready = 0;
  for (const p of keptCurrent) if (!podFacts(p).ready) currentUnready++;
  let oldReady = 0;
  for (const p of old) if (podFacts(p).ready) oldReady++;
  let total = keptCurrent.length + old.length;
  let budget = total - replicas - currentUnready;
  let ready = keptCurrent.length - currentUnready + oldReady;
  let oldDeleted = 0;
  if (budget > 0 && old.length > 0) {
    for (const pod of [...old].sort(byExpendability)) {
      if (budget <= 0) break;
      const podReady = podFacts(pod).ready;
      if (podReady && ready - 1 < replicas) break;
      deletes.push(pod);
      oldDeleted++;
      budget--;
      total--;
      if (podReady) ready--;
    }
  }

  const missing = Math.max(0, replicas - keptCurrent.length);
  const room = old.length - oldDeleted > 0 ? Math.max(0, replicas + MAX_SURGE - total) : missing;
  return { deletes, creates: Math.min(missing, room), current, old };
}
