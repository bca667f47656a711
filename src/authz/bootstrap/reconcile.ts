// Puts the bootstrap policy in place on every start, as kube-apiserver's
// rbac/bootstrap-roles hook does: missing objects are created; existing
// ones gain missing rules, aggregation selectors, subjects, labels and
// annotations but keep what an administrator added; an object annotated
// `rbac.authorization.kubernetes.io/autoupdate: "false"` is left alone.
// A binding whose roleRef differs is recreated (roleRef is immutable).

import { isAlreadyExists, isConflict, isNotFound } from '../../api/errors.js';
import { clone, isPlainObject, jsonEqual, type KObject } from '../../api/object.js';
import type { PolicyRule } from '../../api/rbac/policy-rule.js';
import { RBAC_GROUP } from '../../api/rbac/policy-rule.js';
import type { Client, ResourceClient } from '../../client/types.js';
import { covers } from '../rbac/covers.js';
import { AUTOUPDATE_ANNOTATION } from './policy-builders.js';
import { defaultClusterRoleBindings, defaultClusterRoles } from './default-roles.js';
import { systemClusterRoleBindings, systemClusterRoles } from './system-roles.js';

export function bootstrapPolicy(): { clusterRoles: KObject[]; clusterRoleBindings: KObject[] } {
  return {
    clusterRoles: [...defaultClusterRoles(), ...systemClusterRoles()],
    clusterRoleBindings: [...defaultClusterRoleBindings(), ...systemClusterRoleBindings()],
  };
}

const optedOut = (o: KObject) => o.metadata.annotations?.[AUTOUPDATE_ANNOTATION] === 'false';

function mergeMeta(cur: KObject, want: KObject): void {
  cur.metadata.labels = { ...cur.metadata.labels, ...want.metadata.labels };
  cur.metadata.annotations = { ...cur.metadata.annotations, ...want.metadata.annotations };
}

/** The reconciled ClusterRole, or undefined when nothing needs to change. */
export function reconcileClusterRole(existing: KObject, want: KObject): KObject | undefined {
  if (optedOut(existing)) return undefined;
  const next = clone(existing);
  mergeMeta(next, want);
  if (isPlainObject(want.aggregationRule)) {
    const have = (isPlainObject(next.aggregationRule) && Array.isArray(next.aggregationRule.clusterRoleSelectors) ? next.aggregationRule.clusterRoleSelectors : []) as unknown[];
    const selectors = [...have];
    for (const s of want.aggregationRule.clusterRoleSelectors as unknown[]) if (!have.some((h) => jsonEqual(h, s))) selectors.push(s);
    next.aggregationRule = { clusterRoleSelectors: selectors };
  } else {
    const rules = (Array.isArray(next.rules) ? next.rules : []) as PolicyRule[];
    const missing = (want.rules as PolicyRule[]).filter((r) => !covers(rules, [r]).covered);
    next.rules = [...rules, ...missing];
  }
  return jsonEqual(next, existing) ? undefined : next;
}

const subjectKey = (s: Record<string, unknown>) => `${s.kind}/${s.namespace ?? ''}/${s.name}`;

/** The reconciled binding (undefined: unchanged); `recreate` when its roleRef must change. */
export function reconcileBinding(existing: KObject, want: KObject): { obj: KObject; recreate: boolean } | undefined {
  if (optedOut(existing)) return undefined;
  const next = clone(existing);
  mergeMeta(next, want);
  const subjects = (Array.isArray(next.subjects) ? next.subjects : []) as Record<string, unknown>[];
  const have = new Set(subjects.map(subjectKey));
  for (const s of want.subjects as Record<string, unknown>[]) if (!have.has(subjectKey(s))) subjects.push(s);
  next.subjects = subjects;
  const recreate = !jsonEqual(next.roleRef, want.roleRef);
  if (recreate) next.roleRef = want.roleRef;
  return jsonEqual(next, existing) ? undefined : { obj: next, recreate };
}

type Reconcile = (cur: KObject, want: KObject) => { obj: KObject; recreate: boolean } | undefined;

/** Replicas starting together may race: a lost race is retried from a fresh read. */
async function ensure(rc: ResourceClient, want: KObject, reconcile: Reconcile): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await ensureOnce(rc, want, reconcile);
    } catch (e) {
      if (attempt >= 4 || !(isConflict(e) || isAlreadyExists(e))) throw e;
    }
  }
}

async function ensureOnce(rc: ResourceClient, want: KObject, reconcile: Reconcile): Promise<void> {
  const cur = await rc.get(undefined, want.metadata.name!);
  if (!cur) {
    await rc.create(undefined, clone(want));
    return;
  }
  const r = reconcile(cur, want);
  if (!r) return;
  if (!r.recreate) {
    await rc.update(undefined, r.obj);
    return;
  }
  try {
    await rc.delete(undefined, want.metadata.name!);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  const fresh = clone(r.obj);
  delete fresh.metadata.resourceVersion;
  delete fresh.metadata.uid;
  delete fresh.metadata.creationTimestamp;
  await rc.create(undefined, fresh);
}

/** Creates or reconciles every bootstrap ClusterRole and ClusterRoleBinding. Idempotent. */
export async function ensureBootstrapPolicy(client: Client): Promise<void> {
  const { clusterRoles, clusterRoleBindings } = bootstrapPolicy();
  const roles = client.resource({ group: RBAC_GROUP, version: 'v1', resource: 'clusterroles' });
  const bindings = client.resource({ group: RBAC_GROUP, version: 'v1', resource: 'clusterrolebindings' });
  for (const r of clusterRoles) {
    await ensure(roles, r, (cur, want) => {
      const obj = reconcileClusterRole(cur, want);
      return obj ? { obj, recreate: false } : undefined;
    });
  }
  for (const b of clusterRoleBindings) await ensure(bindings, b, reconcileBinding);
}
