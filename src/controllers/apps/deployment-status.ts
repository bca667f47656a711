// A Deployment's status from its ReplicaSets, and its conditions with kube's
// types, reasons and messages: Available (MinimumReplicasAvailable /
// MinimumReplicasUnavailable), Progressing (NewReplicaSetCreated,
// FoundNewReplicaSet, ReplicaSetUpdated, NewReplicaSetAvailable,
// ProgressDeadlineExceeded, DeploymentPaused, DeploymentResumed) and
// ReplicaFailure (copied from a ReplicaSet whose creates fail).

import { isPlainObject, nowIso, type KObject } from '../../api/object.js';
import { section } from '../../api/core/columns.js';
import { desiredReplicas, fenceposts, num, specReplicas, statusOf } from './deployment-util.js';

type Obj = Record<string, unknown>;
export type Condition = { type: string; status: string; reason?: string; message?: string; lastUpdateTime?: string; lastTransitionTime?: string };

export const conditionsOf = (o: Obj): Condition[] => (Array.isArray(o.conditions) ? (o.conditions.filter(isPlainObject) as Condition[]) : []);
export const conditionIn = (o: Obj, type: string) => conditionsOf(o).find((c) => c.type === type);

/** kube's SetDeploymentCondition: same status and reason keep the condition as it is. */
export function setCondition(status: Obj, c: Condition): void {
  const conds = conditionsOf(status);
  const cur = conds.find((x) => x.type === c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  const now = nowIso();
  const next: Condition = { ...c, lastUpdateTime: c.lastUpdateTime ?? now, lastTransitionTime: cur && cur.status === c.status ? cur.lastTransitionTime : (c.lastTransitionTime ?? now) };
  status.conditions = [...conds.filter((x) => x.type !== c.type), next];
}

export function removeCondition(status: Obj, type: string): void {
  const conds = conditionsOf(status).filter((x) => x.type !== type);
  if (conds.length) status.conditions = conds;
  else delete status.conditions;
}

/** Counts summed over the ReplicaSets, observedGeneration, and the Available and ReplicaFailure conditions. */
export function calculateStatus(d: KObject, all: readonly KObject[], newRS: KObject | undefined): Obj {
  const old = section(d, 'status');
  const replicas = all.reduce((n, rs) => n + statusOf(rs, 'replicas'), 0);
  const available = all.reduce((n, rs) => n + statusOf(rs, 'availableReplicas'), 0);
  const status: Obj = {
    observedGeneration: d.metadata.generation ?? 1,
    replicas,
    updatedReplicas: newRS ? statusOf(newRS, 'replicas') : 0,
    readyReplicas: all.reduce((n, rs) => n + statusOf(rs, 'readyReplicas'), 0),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, all.reduce((n, rs) => n + specReplicas(rs), 0) - available),
  };
  if (typeof old.collisionCount === 'number') status.collisionCount = old.collisionCount;
  if (Array.isArray(old.conditions)) status.conditions = old.conditions;
  const want = desiredReplicas(d);
  if (available >= want - fenceposts(d).unavailable) {
    setCondition(status, { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
  } else {
    setCondition(status, { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' });
  }
  const failing = all.map((rs) => conditionIn(section(rs, 'status'), 'ReplicaFailure')).find((c) => c?.status === 'True');
  if (failing) setCondition(status, { type: 'ReplicaFailure', status: 'True', reason: failing.reason, message: failing.message });
  else removeCondition(status, 'ReplicaFailure');
  return status;
}

/** kube's DeploymentComplete: every desired replica updated and available, nothing old left. */
export function isComplete(d: KObject, status: Obj): boolean {
  const want = desiredReplicas(d);
  return num(status.updatedReplicas) === want && num(status.replicas) === want && num(status.availableReplicas) === want && num(status.observedGeneration) >= (d.metadata.generation ?? 1);
}

/** kube's DeploymentProgressing: more updated, fewer old, or more ready or available pods than last time. */
export function madeProgress(d: KObject, status: Obj): boolean {
  const old = section(d, 'status');
  const oldOld = num(old.replicas) - num(old.updatedReplicas);
  const newOld = num(status.replicas) - num(status.updatedReplicas);
  return num(status.updatedReplicas) > num(old.updatedReplicas) || newOld < oldOld || num(status.readyReplicas) > num(old.readyReplicas) || num(status.availableReplicas) > num(old.availableReplicas);
}

/**
 * The Progressing condition after this pass (kube's syncRolloutStatus), and
 * the milliseconds until the progress deadline passes if it still can.
 */
export function syncProgressing(d: KObject, status: Obj, newRS: KObject | undefined, now: number): number | undefined {
  const pds = section(d, 'spec').progressDeadlineSeconds;
  if (typeof pds !== 'number' || !newRS) return undefined;
  const name = newRS.metadata.name;
  const cur = conditionIn(status, 'Progressing');
  if (isComplete(d, status)) {
    setCondition(status, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${name}" has successfully progressed.` });
    return undefined;
  }
  if (madeProgress(d, status)) {
    const stamp = nowIso();
    removeCondition(status, 'Progressing');
    status.conditions = [
      ...conditionsOf(status),
      { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${name}" is progressing.`, lastUpdateTime: stamp, lastTransitionTime: cur?.status === 'True' ? cur.lastTransitionTime : stamp },
    ];
    return pds * 1000;
  }
  if (!cur || cur.reason === 'NewReplicaSetAvailable') return undefined;
  if (cur.reason === 'ProgressDeadlineExceeded') return undefined;
  const from = Date.parse(cur.lastUpdateTime ?? '');
  const left = Number.isNaN(from) ? pds * 1000 : from + pds * 1000 - now;
  if (left > 0) return left;
  setCondition(status, { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${name}" has timed out progressing.` });
  return undefined;
}
