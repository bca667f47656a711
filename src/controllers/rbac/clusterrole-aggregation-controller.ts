// kube's clusterrole-aggregation controller: a ClusterRole with an
// aggregationRule gets, as its rules, the union of the rules of every other
// ClusterRole matching one of its selectors (in name order, duplicates
// dropped). A change to any ClusterRole requeues only the aggregated roles
// whose selectors match it before or after the change.

import { clone, deepEqual, isPlainObject, type KObject } from '../../api/object.js';
import { fromLabelSelector, type LabelMatcher, type LabelSelector } from '../../api/label-selector.js';
import { RBAC_GROUP } from '../../api/rbac/policy-rule.js';
import { controllerFor, type Controller } from '../../client/controller.js';
import type { Logger } from '../../client/logger.js';
import { SharedInformers } from '../../client/shared-informers.js';
import type { Client } from '../../client/types.js';

export const CLUSTER_ROLES = { group: RBAC_GROUP, version: 'v1', resource: 'clusterroles' };

function selectorsOf(role: KObject): LabelMatcher[] | undefined {
  const rule = role.aggregationRule;
  if (!isPlainObject(rule) || !Array.isArray(rule.clusterRoleSelectors)) return undefined;
  return rule.clusterRoleSelectors.filter(isPlainObject).map((s) => {
    try {
      return fromLabelSelector(s as LabelSelector);
    } catch {
      return () => false;
    }
  });
}

const matchesAny = (matchers: LabelMatcher[], role: KObject) => matchers.some((m) => m(role.metadata.labels ?? {}));

/** The rules an aggregated role should have, given every ClusterRole. */
export function aggregatedRules(role: KObject, all: readonly KObject[]): unknown[] {
  const matchers = selectorsOf(role) ?? [];
  const rules: unknown[] = [];
  const sorted = [...all].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0));
  for (const other of sorted) {
    if (other.metadata.name === role.metadata.name || !matchesAny(matchers, other)) continue;
    for (const r of Array.isArray(other.rules) ? other.rules : []) if (!rules.some((x) => deepEqual(x, r))) rules.push(r);
  }
  return rules;
}

export function clusterRoleAggregationController(client: Client, opts: { informers?: SharedInformers; log?: Logger } = {}): Controller {
  const informers = opts.informers ?? new SharedInformers(client, { log: opts.log });
  const roles = informers.informerFor(CLUSTER_ROLES);
  const writer = client.resource(CLUSTER_ROLES);
  const aggregated = new Map<string, LabelMatcher[]>();
  return controllerFor(client, { name: 'clusterrole-aggregation-controller', informers, log: opts.log })
    .watches(CLUSTER_ROLES, (changed) => {
      const name = changed.metadata.name!;
      const own = selectorsOf(changed);
      if (own) aggregated.set(name, own);
      const keys: string[] = own ? [name] : [];
      for (const [agg, matchers] of aggregated) if (agg !== name && matchesAny(matchers, changed)) keys.push(agg);
      return keys;
    })
    .complete(async (name) => {
      const role = roles.get(undefined, name);
      if (!role || !selectorsOf(role)) {
        aggregated.delete(name);
        return;
      }
      const want = aggregatedRules(role, roles.list());
      if (deepEqual(role.rules ?? [], want)) return;
      const next = clone(role);
      next.rules = want;
      await writer.update(undefined, next);
    });
}
