// The user-facing default roles, as kube bootstraps them: cluster-admin;
// admin, edit and view, each an aggregation of the roles labelled
// `aggregate-to-<role>` (so any group's roles can extend them); and the
// roles every authenticated user holds (discovery, basic-user,
// public-info-viewer). Rules cover the core kinds and every API group
// Workplane serves or is about to serve.

import type { KObject } from '../../api/object.js';
import type { PolicyRule } from '../../api/rbac/policy-rule.js';
import {
  AGGREGATE_TO_ADMIN,
  AGGREGATE_TO_EDIT,
  AGGREGATE_TO_VIEW,
  READ,
  READ_WRITE,
  WRITE,
  aggregatedClusterRole,
  clusterRole,
  clusterRoleBinding,
  group,
  rule,
  urlRule,
} from './policy-builders.js';

const KUMA = 'kuma.io';
const COMPUTE = 'compute.miloapis.com';
const NETWORKING = 'networking.miloapis.com';
const RESOURCEMANAGER = 'resourcemanager.miloapis.com';
const SCHEDULING = 'scheduling.k8s.io';

/** Namespaced resources an editor writes, per group (with the subresources a user writes directly). */
const EDITABLE: [string, string[]][] = [
  // Not endpoints nor endpointslices: kube dropped them from edit (CVE-2021-25740); controllers own them.
  ['', ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'configmaps', 'secrets', 'serviceaccounts', 'services', 'services/proxy', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'events']],
  ['apps', ['deployments', 'deployments/scale', 'deployments/rollback', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale', 'daemonsets']],
  ['batch', ['jobs', 'cronjobs']],
  ['autoscaling', ['horizontalpodautoscalers']],
  ['policy', ['poddisruptionbudgets']],
  ['networking.k8s.io', ['ingresses', 'networkpolicies']],
  ['coordination.k8s.io', ['leases']],
  [KUMA, ['dataplanes', 'workloads', 'meshidentities', 'meshtrusts']],
  [COMPUTE, ['workloads', 'workloads/scale']],
  [NETWORKING, ['networks']],
  [SCHEDULING, ['workloads']],
];

/**
 * What a viewer reads: the editable kinds (secrets, leases and interactive subresources
 * aside) and their status. As in kube, no cluster-scoped kube kind but namespaces (CRDs,
 * nodes, RBAC cluster roles, CSRs are cluster-admin's); default-roles-coverage.test.ts
 * holds every served resource to this.
 */
const VIEWABLE: [string, string[]][] = [
  ['', ['pods', 'pods/log', 'pods/status', 'configmaps', 'serviceaccounts', 'services', 'services/status', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'replicationcontrollers', 'replicationcontrollers/scale', 'replicationcontrollers/status', 'events', 'limitranges', 'resourcequotas', 'resourcequotas/status', 'bindings', 'namespaces', 'namespaces/status']],
  ['apps', ['controllerrevisions', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status', 'daemonsets', 'daemonsets/status']],
  ['batch', ['jobs', 'jobs/status', 'cronjobs', 'cronjobs/status']],
  ['autoscaling', ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']],
  ['policy', ['poddisruptionbudgets', 'poddisruptionbudgets/status']],
  ['networking.k8s.io', ['ingresses', 'ingresses/status', 'networkpolicies']],
  ['discovery.k8s.io', ['endpointslices']],
  ['events.k8s.io', ['events']],
  [KUMA, ['meshes', 'dataplanes', 'dataplaneinsights', 'workloads', 'workloads/status', 'meshidentities', 'meshidentities/status', 'meshtrusts', 'meshtrusts/status']],
  [COMPUTE, ['workloads', 'workloads/status', 'workloads/scale']],
  [NETWORKING, ['networks', 'networks/status']],
  [RESOURCEMANAGER, ['projects', 'projects/status']],
  [SCHEDULING, ['workloads', 'workloads/status']],
];

const rulesFor = (verbs: string[], table: [string, string[]][]): PolicyRule[] => table.map(([g, resources]) => rule(verbs, g, resources));

const viewRules: PolicyRule[] = rulesFor(READ, VIEWABLE);

const editRules: PolicyRule[] = [
  ...rulesFor(WRITE, EDITABLE),
  // Editors read what they write, secrets included.
  rule(READ, '', ['secrets', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'services/proxy']),
  rule(READ, 'coordination.k8s.io', ['leases']),
  rule(['impersonate'], '', ['serviceaccounts']),
  rule(['create'], '', ['pods/eviction', 'serviceaccounts/token']),
];

const adminRules: PolicyRule[] = [
  rule(READ_WRITE, 'rbac.authorization.k8s.io', ['roles', 'rolebindings']),
  rule(['create'], 'authorization.k8s.io', ['localsubjectaccessreviews']),
  // Minting proxy credentials for a namespace's workloads is an administrator's act.
  rule(['create'], KUMA, ['dataplanetokens']),
];

/** Approver role name → the signer it may approve for. */
const APPROVABLE_SIGNERS: [string, string][] = [
  ['kube-apiserver-client-approver', 'kubernetes.io/kube-apiserver-client'],
  ['kube-apiserver-client-kubelet-approver', 'kubernetes.io/kube-apiserver-client-kubelet'],
  ['kubelet-serving-approver', 'kubernetes.io/kubelet-serving'],
  ['legacy-unknown-approver', 'kubernetes.io/legacy-unknown'],
];

const DISCOVERY_URLS = ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'];
const PUBLIC_INFO_URLS = ['/healthz', '/livez', '/readyz', '/version', '/version/'];

export function defaultClusterRoles(): KObject[] {
  return [
    clusterRole('cluster-admin', [rule(['*'], '*', ['*']), urlRule(['*'], ['*'])]),
    aggregatedClusterRole('admin', AGGREGATE_TO_ADMIN),
    aggregatedClusterRole('edit', AGGREGATE_TO_EDIT, { [AGGREGATE_TO_ADMIN]: 'true' }),
    aggregatedClusterRole('view', AGGREGATE_TO_VIEW, { [AGGREGATE_TO_EDIT]: 'true' }),
    clusterRole('system:aggregate-to-admin', adminRules, { [AGGREGATE_TO_ADMIN]: 'true' }),
    clusterRole('system:aggregate-to-edit', editRules, { [AGGREGATE_TO_EDIT]: 'true' }),
    clusterRole('system:aggregate-to-view', viewRules, { [AGGREGATE_TO_VIEW]: 'true' }),
    clusterRole('system:discovery', [urlRule(['get'], DISCOVERY_URLS)]),
    clusterRole('system:basic-user', [
      rule(['create'], 'authorization.k8s.io', ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
      rule(['create'], 'authentication.k8s.io', ['selfsubjectreviews']),
    ]),
    clusterRole('system:public-info-viewer', [urlRule(['get'], PUBLIC_INFO_URLS)]),
    clusterRole('system:monitoring', [urlRule(['get'], ['/healthz', '/healthz/*', '/livez', '/livez/*', '/readyz', '/readyz/*', '/metrics'])]),
    // kube's per-signer approver roles, bound to no one: approving a CSR needs `approve` on its signer.
    ...APPROVABLE_SIGNERS.map(([role, signer]) => clusterRole(`system:certificates.k8s.io:${role}`, [rule(['approve'], 'certificates.k8s.io', ['signers'], [signer])])),
    clusterRole('system:auth-delegator', [
      rule(['create'], 'authentication.k8s.io', ['tokenreviews']),
      rule(['create'], 'authorization.k8s.io', ['subjectaccessreviews']),
    ]),
  ];
}

export function defaultClusterRoleBindings(): KObject[] {
  return [
    clusterRoleBinding('cluster-admin', 'cluster-admin', [group('system:masters')]),
    clusterRoleBinding('system:discovery', 'system:discovery', [group('system:authenticated')]),
    clusterRoleBinding('system:basic-user', 'system:basic-user', [group('system:authenticated')]),
    clusterRoleBinding('system:public-info-viewer', 'system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')]),
    clusterRoleBinding('system:monitoring', 'system:monitoring', [group('system:monitoring')]),
  ];
}
