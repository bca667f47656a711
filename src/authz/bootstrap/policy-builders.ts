// Small builders for the bootstrap policy, so the default roles read as
// tables of rules. Every bootstrap object carries kube's bootstrapping label
// and the autoupdate annotation that lets an administrator opt out of
// reconciliation.

import type { KObject } from '../../api/object.js';
import { RBAC_GROUP, type PolicyRule } from '../../api/rbac/policy-rule.js';

export const READ = ['get', 'list', 'watch'];
export const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];
export const READ_WRITE = [...READ, ...WRITE];

export const AUTOUPDATE_ANNOTATION = 'rbac.authorization.kubernetes.io/autoupdate';
export const BOOTSTRAP_LABEL = 'kubernetes.io/bootstrapping';
export const AGGREGATE_TO_ADMIN = 'rbac.authorization.k8s.io/aggregate-to-admin';
export const AGGREGATE_TO_EDIT = 'rbac.authorization.k8s.io/aggregate-to-edit';
export const AGGREGATE_TO_VIEW = 'rbac.authorization.k8s.io/aggregate-to-view';

/** A resource rule: verbs on resources of one or more groups, optionally limited to names. */
export function rule(verbs: string[], groups: string | string[], resources: string[], names?: string[]): PolicyRule {
  return { verbs, apiGroups: typeof groups === 'string' ? [groups] : groups, resources, ...(names ? { resourceNames: names } : {}) };
}

export const urlRule = (verbs: string[], urls: string[]): PolicyRule => ({ verbs, nonResourceURLs: urls });

/** Events as every component writes them, in both event groups. */
export const eventsRule = rule(['create', 'update', 'patch'], ['', 'events.k8s.io'], ['events']);

function meta(name: string, labels: Record<string, string> = {}): KObject['metadata'] {
  return { name, labels: { [BOOTSTRAP_LABEL]: 'rbac-defaults', ...labels }, annotations: { [AUTOUPDATE_ANNOTATION]: 'true' } };
}

export function clusterRole(name: string, rules: PolicyRule[], labels?: Record<string, string>): KObject {
  return { apiVersion: `${RBAC_GROUP}/v1`, kind: 'ClusterRole', metadata: meta(name, labels), rules };
}

/** A ClusterRole whose rules the aggregation controller fills from roles labelled `label: "true"`. */
export function aggregatedClusterRole(name: string, label: string, labels?: Record<string, string>): KObject {
  return { ...clusterRole(name, [], labels), aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [label]: 'true' } }] } };
}

export type SubjectSpec = { kind: 'User' | 'Group'; name: string } | { kind: 'ServiceAccount'; namespace: string; name: string };

export const user = (name: string): SubjectSpec => ({ kind: 'User', name });
export const group = (name: string): SubjectSpec => ({ kind: 'Group', name });
export const serviceAccount = (namespace: string, name: string): SubjectSpec => ({ kind: 'ServiceAccount', namespace, name });

export function clusterRoleBinding(name: string, role: string, subjects: SubjectSpec[]): KObject {
  return {
    apiVersion: `${RBAC_GROUP}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: meta(name),
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: role },
    subjects: subjects.map((s) => (s.kind === 'ServiceAccount' ? { kind: s.kind, name: s.name, namespace: s.namespace } : { kind: s.kind, apiGroup: RBAC_GROUP, name: s.name })),
  };
}
