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
import { byExpendability, isReady } from './pod-state.js';

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
  const current = active.filter((p) => podHash(p) === hash);
  const old = active.filter((p) => podHash(p) !== hash);
  const deletes: KObject[] = [];

  // Too many current pods (scale-down): the most expendable go.
  const currentSorted = [...current].sort(byExpendability);
  const excess = Math.max(0, current.length - replicas);
  deletes.push(...currentSorted.slice(0, excess));
  const keptCurrent = currentSorted.slice(excess);

  const currentUnready = keptCurrent.filter((p) => !isReady(p)).length;
  let total = keptCurrent.length + old.length;
  let budget = total - replicas - currentUnready;
  let ready = keptCurrent.length - currentUnready + old.filter(isReady).length;
  for (const pod of [...old].sort(byExpendability)) {
    if (budget <= 0) break;
    const podReady = isReady(pod);
    if (podReady && ready - 1 < replicas) break;
    deletes.push(pod);
    budget--;
    total--;
    if (podReady) ready--;
  }

  const missing = Math.max(0, replicas - keptCurrent.length);
  const room = old.length - (deletes.length - excess) > 0 ? Math.max(0, replicas + MAX_SURGE - total) : missing;
  return { deletes, creates: Math.min(missing, room), current, old };
}
