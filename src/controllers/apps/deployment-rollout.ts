// How many replicas each ReplicaSet of a Deployment should have next, as
// kube's rolling and recreate strategies decide it: pure functions of the
// Deployment and its sets' current spec and status.

import type { KObject } from '../../api/object.js';
import { desiredReplicas, fenceposts, revisionOf, specReplicas, statusOf } from './deployment-util.js';

/** kube's NewRSNewReplicas for RollingUpdate: scale up within maxSurge, never past the desired count. */
export function newReplicasRolling(d: KObject, all: readonly KObject[], newRS: KObject | undefined): number {
  const want = desiredReplicas(d);
  const current = newRS ? specReplicas(newRS) : 0;
  if (current >= want) return want;
  const { surge } = fenceposts(d);
  const total = all.reduce((n, rs) => n + specReplicas(rs), 0);
  const room = want + surge - total;
  if (room <= 0) return current;
  return current + Math.min(room, want - current);
}

/**
 * kube's reconcileOldReplicaSets: first scale down old sets' unavailable pods
 * (they add nothing), then available old pods as far as maxUnavailable
 * allows. Returns the new spec.replicas of the old sets that change.
 */
export function scaleDownOld(d: KObject, all: readonly KObject[], newRS: KObject | undefined, old: readonly KObject[]): Map<KObject, number> {
  const out = new Map<KObject, number>();
  const oldTotal = old.reduce((n, rs) => n + specReplicas(rs), 0);
  if (oldTotal === 0) return out;
  const want = desiredReplicas(d);
  const minAvailable = want - fenceposts(d).unavailable;
  const allPods = all.reduce((n, rs) => n + specReplicas(rs), 0);
  const newUnavailable = newRS ? Math.max(0, specReplicas(newRS) - statusOf(newRS, 'availableReplicas')) : 0;
  let budget = allPods - minAvailable - newUnavailable;
  if (budget <= 0) return out;
  const oldestFirst = [...old].sort((a, b) => revisionOf(a) - revisionOf(b) || (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
  for (const rs of oldestFirst) {
    if (budget <= 0) break;
    const cur = specReplicas(rs);
    const unhealthy = Math.max(0, cur - statusOf(rs, 'availableReplicas'));
    const cut = Math.min(unhealthy, budget);
    if (cut > 0) {
      out.set(rs, cur - cut);
      budget -= cut;
    }
  }
  // Available old pods: only as many as keep minAvailable pods available.
  const available = all.reduce((n, rs) => n + statusOf(rs, 'availableReplicas'), 0);
  let total = available - minAvailable;
  if (total <= 0) return out;
  for (const rs of oldestFirst) {
    if (total <= 0) break;
    const cur = out.get(rs) ?? specReplicas(rs);
    if (cur === 0) continue;
    const cut = Math.min(cur, total);
    out.set(rs, cur - cut);
    total -= cut;
  }
  return out;
}

/**
 * Scaling while no roll-out moves (paused, or the template unchanged): the
 * difference goes to the newest active set (kube spreads it proportionally;
 * with one active set, the usual case, both agree).
 */
export function scaleOnly(d: KObject, newRS: KObject | undefined, old: readonly KObject[]): Map<KObject, number> {
  const out = new Map<KObject, number>();
  const active = [...(newRS ? [newRS] : []), ...old].filter((rs) => specReplicas(rs) > 0);
  const want = desiredReplicas(d);
  if (active.length === 0) {
    if (newRS && specReplicas(newRS) !== want) out.set(newRS, want);
    return out;
  }
  const total = active.reduce((n, rs) => n + specReplicas(rs), 0);
  if (total === want) return out;
  const target = newRS && specReplicas(newRS) > 0 ? newRS : [...active].sort((a, b) => revisionOf(b) - revisionOf(a))[0];
  let diff = want - total;
  if (diff > 0) out.set(target, specReplicas(target) + diff);
  else {
    for (const rs of [target, ...active.filter((x) => x !== target)]) {
      if (diff >= 0) break;
      const cut = Math.min(specReplicas(rs), -diff);
      out.set(rs, specReplicas(rs) - cut);
      diff += cut;
    }
  }
  return out;
}
