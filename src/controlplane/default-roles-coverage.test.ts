// Every resource `workplane serve` serves, and each of its subresources, is
// held to kube's admin / edit / view policy: the verbs each aggregated role
// grants (after aggregation, as the controller computes it) must be exactly
// those of the resource's class. A new kind fails here until it is classified,
// so the default roles never silently lag behind what is served.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KObject } from '../api/object.js';
import type { PolicyRule } from '../api/rbac/policy-rule.js';
import { bootstrapPolicy } from '../authz/bootstrap/reconcile.js';
import { covers } from '../authz/rbac/covers.js';
import { aggregatedRules } from '../controllers/rbac/clusterrole-aggregation-controller.js';
import { servedDefinitions } from './control-plane.js';
import { serveOptions } from './options.js';

const R = ['get', 'list', 'watch'];
const W = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const RW = [...R, ...W];
const VERBS = RW;

type Grant = { view: string[]; edit: string[]; admin: string[] };
const none: string[] = [];

/** The classes kube's policy puts resources in. */
const CLASS = {
  /** Namespaced content users manage (pods, deployments, configmaps...). */
  content: { view: R, edit: RW, admin: RW },
  /** Secrets (and leases): editors, not viewers. */
  editorsOnly: { view: none, edit: RW, admin: RW },
  /** Read by every role, written by controllers or admins only (endpoints, endpointslices, quotas, namespaces). */
  readOnly: { view: R, edit: R, admin: R },
  /** RBAC within a namespace. */
  adminOnly: { view: none, edit: none, admin: RW },
  /** Cluster-scoped kube kinds and server-side machinery: cluster-admin's, no aggregated role's. */
  clusterAdmin: { view: none, edit: none, admin: none },
  /** status subresources (and pods/log): viewers read them, nobody in these roles writes them. */
  status: { view: R, edit: R, admin: R },
  /** scale subresources: read by viewers, written by editors. */
  scale: { view: R, edit: RW, admin: RW },
  /** Subresources an editor creates (pods/eviction, serviceaccounts/token). */
  editorCreates: { view: none, edit: ['create'], admin: ['create'] },
  /** Subresources an admin creates (localsubjectaccessreviews, dataplanetokens). */
  adminCreates: { view: none, edit: none, admin: ['create'] },
} satisfies Record<string, Grant>;
type ClassName = keyof typeof CLASS;

/** group/resource[/subresource] → class. Subresources not listed take their kind's default (status, scale) or clusterAdmin. */
const POLICY: Record<string, ClassName> = {
  // core
  '/pods': 'content',
  '/pods/log': 'status',
  '/pods/eviction': 'editorCreates',
  '/pods/binding': 'clusterAdmin',
  '/configmaps': 'content',
  '/secrets': 'editorsOnly',
  '/serviceaccounts': 'content',
  '/serviceaccounts/token': 'editorCreates',
  '/services': 'content',
  '/endpoints': 'readOnly',
  '/persistentvolumeclaims': 'content',
  '/replicationcontrollers': 'content',
  '/events': 'content',
  '/resourcequotas': 'readOnly',
  '/namespaces': 'readOnly',
  '/namespaces/finalize': 'clusterAdmin',
  '/nodes': 'clusterAdmin',
  '/nodes/status': 'clusterAdmin',
  '/persistentvolumes': 'clusterAdmin',
  '/persistentvolumes/status': 'clusterAdmin',
  'coordination.k8s.io/leases': 'editorsOnly',
  // access reviews: system:basic-user and system:auth-delegator grant these, not admin/edit/view
  'authorization.k8s.io/selfsubjectaccessreviews': 'clusterAdmin',
  'authorization.k8s.io/selfsubjectrulesreviews': 'clusterAdmin',
  'authorization.k8s.io/subjectaccessreviews': 'clusterAdmin',
  'authorization.k8s.io/localsubjectaccessreviews': 'adminCreates',
  'authentication.k8s.io/selfsubjectreviews': 'clusterAdmin',
  'authentication.k8s.io/tokenreviews': 'clusterAdmin',
  'rbac.authorization.k8s.io/roles': 'adminOnly',
  'rbac.authorization.k8s.io/rolebindings': 'adminOnly',
  'rbac.authorization.k8s.io/clusterroles': 'clusterAdmin',
  'rbac.authorization.k8s.io/clusterrolebindings': 'clusterAdmin',
  'certificates.k8s.io/certificatesigningrequests': 'clusterAdmin',
  'certificates.k8s.io/certificatesigningrequests/status': 'clusterAdmin',
  'certificates.k8s.io/certificatesigningrequests/approval': 'clusterAdmin',
  'apiextensions.k8s.io/customresourcedefinitions': 'clusterAdmin',
  'apiextensions.k8s.io/customresourcedefinitions/status': 'clusterAdmin',
  // standard workload kinds
  'apps/deployments': 'content',
  'apps/replicasets': 'content',
  'apps/statefulsets': 'content',
  'apps/daemonsets': 'content',
  'apps/controllerrevisions': 'readOnly',
  'batch/jobs': 'content',
  'batch/cronjobs': 'content',
  'discovery.k8s.io/endpointslices': 'readOnly',
  'networking.k8s.io/ingresses': 'content',
  'networking.k8s.io/ipaddresses': 'clusterAdmin',
  'networking.k8s.io/servicecidrs': 'clusterAdmin',
  'networking.k8s.io/servicecidrs/status': 'clusterAdmin',
  // Workplane's own groups: namespaced kinds as content; what controllers or proxies write as read-only
  'kuma.io/workloads': 'content',
  'kuma.io/dataplanes': 'content',
  'kuma.io/meshidentities': 'content',
  'kuma.io/meshtrusts': 'content',
  'kuma.io/dataplaneinsights': 'readOnly',
  'kuma.io/dataplaneinsights/status': 'clusterAdmin',
  'kuma.io/meshes': 'readOnly',
  'kuma.io/dataplanetokens': 'adminCreates',
  'compute.miloapis.com/workloads': 'content',
  'networking.miloapis.com/networks': 'content',
  'resourcemanager.miloapis.com/projects': 'readOnly',
  'scheduling.k8s.io/workloads': 'content',
};

/** Runs aggregation to a fixed point, as the controller does over time (edit aggregates into admin, view into edit). */
function aggregate(roles: KObject[]): Map<string, PolicyRule[]> {
  const byName = new Map(roles.map((r) => [r.metadata.name!, structuredClone(r)]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const role of byName.values()) {
      if (!role.aggregationRule) continue;
      const rules = aggregatedRules(role, [...byName.values()]);
      if (JSON.stringify(rules) !== JSON.stringify(role.rules)) {
        role.rules = rules;
        changed = true;
      }
    }
  }
  return new Map([...byName].map(([n, r]) => [n, r.rules as PolicyRule[]]));
}

function servedResources(): string[] {
  const out: string[] = [];
  for (const d of servedDefinitions(serveOptions({ dataDir: '/nonexistent' }))) {
    const base = `${d.group}/${d.plural}`;
    out.push(base);
    const subs = new Set<string>([...(d.subresources?.status ? ['status'] : []), ...(d.subresources?.scale ? ['scale'] : []), ...(d.extraSubresources ?? [])]);
    for (const s of subs) out.push(`${base}/${s}`);
  }
  return out;
}

function classOf(resource: string): ClassName | undefined {
  if (POLICY[resource]) return POLICY[resource];
  const [group, plural, sub] = resource.split('/');
  if (sub === undefined) return undefined;
  const parent = POLICY[`${group}/${plural}`];
  if (sub === 'status') return parent === 'content' || parent === 'readOnly' ? 'status' : 'clusterAdmin';
  if (sub === 'scale') return parent === 'content' ? 'scale' : 'clusterAdmin';
  return undefined;
}

test('admin, edit and view grant each served resource exactly what kube grants its class', () => {
  const rules = aggregate(bootstrapPolicy().clusterRoles);
  const problems: string[] = [];
  const unclassified: string[] = [];
  for (const resource of servedResources()) {
    const cls = classOf(resource);
    if (!cls) {
      unclassified.push(resource);
      continue;
    }
    const [group, ...rest] = resource.split('/');
    for (const role of ['view', 'edit', 'admin'] as const) {
      const want = new Set(CLASS[cls][role]);
      for (const verb of VERBS) {
        const granted = covers(rules.get(role) ?? [], [{ verbs: [verb], apiGroups: [group], resources: [rest.join('/')] }]).covered;
        if (granted !== want.has(verb)) problems.push(`${role} ${granted ? 'grants' : 'lacks'} ${verb} on ${resource || group} (class ${cls})`);
      }
    }
  }
  assert.deepEqual(unclassified, [], 'served resources missing from POLICY: classify them as kube would');
  assert.deepEqual(problems, []);
});

test('cluster-admin grants everything; only system:masters holds it; no default binding lets anyone approve or sign CSRs', () => {
  const { clusterRoles, clusterRoleBindings } = bootstrapPolicy();
  const rules = aggregate(clusterRoles);
  const signer = (verb: string) => [{ verbs: [verb], apiGroups: ['certificates.k8s.io'], resources: ['signers'], resourceNames: ['kubernetes.io/kube-apiserver-client'] }];
  assert.ok(covers(rules.get('cluster-admin')!, signer('approve')).covered);
  for (const role of ['admin', 'edit', 'view']) assert.equal(covers(rules.get(role)!, signer('approve')).covered, false, role);
  const approvers = clusterRoles.filter((r) => covers((r.rules ?? []) as PolicyRule[], signer('approve')).covered).map((r) => r.metadata.name);
  const bound = clusterRoleBindings.filter((b) => approvers.includes((b.roleRef as { name: string }).name));
  assert.deepEqual(
    bound.map((b) => [b.metadata.name, (b.subjects as { name: string }[]).map((s) => s.name)]),
    [['cluster-admin', ['system:masters']]],
    'only system:masters may approve user client certificates by default',
  );
});
