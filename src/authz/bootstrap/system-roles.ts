// Narrow roles for Workplane's own components, as kube bootstraps
// system:kube-scheduler and system:controller:*. Inside `workplane serve`
// these components use the in-process client as system:masters; the roles
// and bindings are what they need when run against the API over HTTP (the
// scheduler as user system:kube-scheduler, each controller as its
// ServiceAccount in kube-system, the DP server as system:workplane:dp-server).
// `system:node` documents what a node agent needs; nodes are authorized by
// the Node authorizer, so it is bound to no one.

import type { KObject } from '../../api/object.js';
import { READ, READ_WRITE, clusterRole, clusterRoleBinding, eventsRule, rule, serviceAccount, user } from './policy-builders.js';

const KUMA = 'kuma.io';
const APPS = 'apps';
const BATCH = 'batch';
const CERTIFICATES = 'certificates.k8s.io';
const SIGNERS = {
  legacyUnknown: 'kubernetes.io/legacy-unknown',
  apiserverClient: 'kubernetes.io/kube-apiserver-client',
  kubeletClient: 'kubernetes.io/kube-apiserver-client-kubelet',
  kubeletServing: 'kubernetes.io/kubelet-serving',
};
const LEADER_ELECTION = rule(['create', 'get', 'update'], 'coordination.k8s.io', ['leases']);

/** Controller name → the rules it needs. */
const CONTROLLERS: Record<string, ReturnType<typeof rule>[]> = {
  'namespace-controller': [
    rule(['get', 'list', 'watch', 'delete'], '', ['namespaces']),
    rule(['update'], '', ['namespaces/finalize', 'namespaces/status']),
    rule(['get', 'list', 'delete', 'deletecollection'], '*', ['*']),
  ],
  'service-account-controller': [rule(['create'], '', ['serviceaccounts']), rule(READ, '', ['namespaces', 'serviceaccounts']), eventsRule],
  'generic-garbage-collector': [rule(['get', 'list', 'watch', 'patch', 'update', 'delete'], '*', ['*'])],
  'node-controller': [
    rule(['get', 'list', 'watch', 'update', 'patch', 'delete'], '', ['nodes']),
    rule(['patch', 'update'], '', ['nodes/status', 'pods/status']),
    rule(['list', 'watch', 'delete'], '', ['pods']),
    rule(['create'], '', ['pods/eviction']),
    rule(READ, 'coordination.k8s.io', ['leases']),
    eventsRule,
  ],
  'clusterrole-aggregation-controller': [rule(['escalate', 'get', 'list', 'watch', 'update', 'patch'], 'rbac.authorization.k8s.io', ['clusterroles'])],
  'compute-workload-controller': [
    rule(READ, 'compute.miloapis.com', ['workloads']),
    rule(['update', 'patch'], 'compute.miloapis.com', ['workloads/status']),
    rule(READ_WRITE, '', ['pods']),
    rule(['update', 'patch'], '', ['pods/status']),
    rule(['create'], '', ['pods/binding']),
    rule(READ, '', ['nodes', 'namespaces', 'resourcequotas']),
    rule([...READ, 'update', 'patch'], 'networking.miloapis.com', ['networks', 'networks/status']),
    rule([...READ, 'update', 'patch'], 'resourcemanager.miloapis.com', ['projects', 'projects/status']),
    rule(['create', 'get'], '', ['namespaces']),
    eventsRule,
  ],
  // apps, batch, services: kube's rules for the same controllers (plus the patches Workplane's make).
  'deployment-controller': [
    rule([...READ, 'update', 'patch'], APPS, ['deployments']),
    rule(['update'], APPS, ['deployments/finalizers', 'deployments/status']),
    rule(READ_WRITE, APPS, ['replicasets']),
    rule([...READ, 'update'], '', ['pods']),
    eventsRule,
  ],
  'replicaset-controller': [
    rule([...READ, 'update'], APPS, ['replicasets']),
    rule(['update'], APPS, ['replicasets/finalizers', 'replicasets/status']),
    rule(['list', 'watch', 'create', 'patch', 'delete'], '', ['pods']),
    eventsRule,
  ],
  'job-controller': [
    // delete: a finished Job's ttlSecondsAfterFinished (kube's ttl-after-finished controller) is this controller's here.
    rule([...READ, 'update', 'patch', 'delete'], BATCH, ['jobs']),
    rule(['update', 'patch'], BATCH, ['jobs/status']),
    rule(['update'], BATCH, ['jobs/finalizers']),
    rule(['list', 'watch', 'create', 'patch', 'delete'], '', ['pods']),
    eventsRule,
  ],
  'cronjob-controller': [
    rule([...READ, 'update'], BATCH, ['cronjobs']),
    rule([...READ, 'create', 'update', 'patch', 'delete'], BATCH, ['jobs']),
    rule(['update'], BATCH, ['cronjobs/status', 'cronjobs/finalizers']),
    rule(['list', 'delete'], '', ['pods']),
    eventsRule,
  ],
  'endpoints-controller': [
    rule(READ, '', ['services', 'pods']),
    rule([...READ, 'create', 'update', 'delete'], '', ['endpoints']),
    rule(['create'], '', ['endpoints/restricted']),
    eventsRule,
  ],
  'endpointslice-controller': [
    rule(READ, '', ['services', 'pods', 'nodes']),
    rule(['update'], '', ['services/finalizers']),
    rule([...READ, 'create', 'update', 'delete'], 'discovery.k8s.io', ['endpointslices']),
    eventsRule,
  ],
  // Approves node requests it may (kubelet client and serving certificates) and signs for kube's signers.
  'certificate-controller': [
    rule(['get', 'list', 'watch', 'delete'], CERTIFICATES, ['certificatesigningrequests']),
    rule(['update'], CERTIFICATES, ['certificatesigningrequests/status', 'certificatesigningrequests/approval']),
    rule(['approve'], CERTIFICATES, ['signers'], [SIGNERS.kubeletClient, SIGNERS.kubeletServing]),
    rule(['sign'], CERTIFICATES, ['signers'], [SIGNERS.legacyUnknown, SIGNERS.apiserverClient, SIGNERS.kubeletClient, SIGNERS.kubeletServing]),
    rule(['create'], 'authorization.k8s.io', ['subjectaccessreviews']),
    eventsRule,
  ],
  // CRD names and conditions, and deleting a deleted CRD's objects (of any kind) before its finalizer goes.
  'apiextensions-controller': [
    rule([...READ, 'update'], 'apiextensions.k8s.io', ['customresourcedefinitions']),
    rule(['update'], 'apiextensions.k8s.io', ['customresourcedefinitions/status']),
    rule(['list', 'delete'], '*', ['*']),
  ],
  'mesh-controller': [
    rule(READ, '', ['pods', 'namespaces', 'serviceaccounts']),
    rule(READ_WRITE, KUMA, ['dataplanes', 'workloads', 'meshes']),
    rule(['update', 'patch'], KUMA, ['workloads/status']),
    rule(READ, KUMA, ['dataplaneinsights']),
    eventsRule,
  ],
  'mesh-identity-controller': [
    rule(READ, KUMA, ['meshidentities', 'meshtrusts', 'dataplanes', 'dataplaneinsights', 'meshes']),
    rule(['update', 'patch'], KUMA, ['meshidentities/status', 'meshtrusts/status']),
    rule([...READ, 'create', 'update', 'patch'], KUMA, ['meshtrusts']),
    rule([...READ, 'create', 'update', 'patch'], '', ['secrets', 'configmaps']),
    eventsRule,
  ],
};

export function systemClusterRoles(): KObject[] {
  return [
    clusterRole('system:kube-scheduler', [
      rule(READ, '', ['pods', 'nodes', 'namespaces']),
      rule(['create'], '', ['pods/binding']),
      rule(['patch', 'update'], '', ['pods/status']),
      rule(READ, 'scheduling.k8s.io', ['workloads']),
      LEADER_ELECTION,
      eventsRule,
    ]),
    ...Object.entries(CONTROLLERS).map(([name, rules]) => clusterRole(`system:controller:${name}`, [...rules, LEADER_ELECTION])),
    clusterRole('system:workplane:dp-server', [
      rule(READ_WRITE, KUMA, ['dataplanes', 'dataplaneinsights']),
      rule(READ, KUMA, ['meshes', 'meshidentities', 'meshtrusts', 'workloads']),
      rule(READ, '', ['pods', 'serviceaccounts']),
      rule([...READ, 'create', 'update', 'patch'], '', ['configmaps']),
      rule(['create'], 'authentication.k8s.io', ['tokenreviews']),
      eventsRule,
    ]),
    // What a node's TLS bootstrap needs (kubeadm binds it to system:bootstrappers; Workplane's Node authorizer already lets them).
    clusterRole('system:node-bootstrapper', [rule(['create', 'get', 'list', 'watch'], 'certificates.k8s.io', ['certificatesigningrequests'])]),
    clusterRole('system:node', [
      rule([...READ, 'create', 'update', 'patch', 'delete'], '', ['nodes']),
      rule(['patch', 'update'], '', ['nodes/status', 'pods/status']),
      rule(READ, '', ['pods', 'services', 'endpoints', 'configmaps', 'secrets', 'serviceaccounts']),
      rule(['create', 'delete'], '', ['pods']),
      rule(['create'], '', ['serviceaccounts/token', 'pods/eviction']),
      rule(['create', 'get', 'update', 'patch', 'delete'], 'coordination.k8s.io', ['leases']),
      rule(READ_WRITE, KUMA, ['dataplanes', 'dataplaneinsights']),
      rule(['create'], 'authentication.k8s.io', ['tokenreviews']),
      rule(['create'], 'authorization.k8s.io', ['subjectaccessreviews']),
      eventsRule,
    ]),
  ];
}

export function systemClusterRoleBindings(): KObject[] {
  return [
    clusterRoleBinding('system:kube-scheduler', 'system:kube-scheduler', [user('system:kube-scheduler')]),
    ...Object.keys(CONTROLLERS).map((name) => clusterRoleBinding(`system:controller:${name}`, `system:controller:${name}`, [serviceAccount('kube-system', name)])),
    clusterRoleBinding('system:workplane:dp-server', 'system:workplane:dp-server', [user('system:workplane:dp-server')]),
  ];
}
