// Escalation prevention, as kube's policy-based RBAC storage: writing a Role
// or ClusterRole needs every permission it grants (or `escalate` on it), and
// writing a binding needs every permission of the role it references (or
// `bind` on that role). system:masters is exempt. It runs as an admission
// plugin so create, update, patch and apply all pass through it.

import { forbidden, notFound, type ApiError } from '../../api/errors.js';
import { deepEqual, isPlainObject, type KObject } from '../../api/object.js';
import { RBAC_GROUP, type PolicyRule } from '../../api/rbac/policy-rule.js';
import type { UserInfo } from '../../api/definition.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../../registry/admission.js';
import { SYSTEM_MASTERS } from '../privileged-groups.js';
import type { Authorizer } from '../types.js';
import { compactRules, compactString, covers, goQuoted } from './covers.js';
import type { RbacIndex } from './rbac-index.js';

export interface EscalationDeps {
  /** The full authorizer chain, asked for `escalate` and `bind`. */
  authorizer: Authorizer;
  /** Where the user's own rules and referenced roles' rules come from. */
  index: RbacIndex;
}

const PLURAL: Record<string, string> = { Role: 'roles', ClusterRole: 'clusterroles', RoleBinding: 'rolebindings', ClusterRoleBinding: 'clusterrolebindings' };

const refused = (kind: string, name: string, why: string): ApiError =>
  forbidden(`${PLURAL[kind]}.${RBAC_GROUP} ${JSON.stringify(name)} is forbidden: ${why}`, { name, group: RBAC_GROUP, kind: PLURAL[kind] });

/** kube's ConfirmNoEscalation message, or undefined when the user already holds every rule. */
export function escalationMessage(user: UserInfo, owned: readonly PolicyRule[], wanted: readonly PolicyRule[]): string | undefined {
  const { covered, missing } = covers(owned, wanted);
  if (covered) return undefined;
  const lines = [...new Set(compactRules(missing).map(compactString))].sort();
  return `user ${JSON.stringify(user.username)} (groups=${goQuoted(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${lines.join('\n')}`;
}

const ruleList = (o: KObject): PolicyRule[] => (Array.isArray(o.rules) ? (o.rules as PolicyRule[]).filter(isPlainObject) : []);

export function escalationAdmission(deps: EscalationDeps): AdmissionPlugin {
  const allowed = (user: UserInfo, verb: string, resource: string, name: string, namespace: string | undefined) =>
    deps.authorizer.authorize({ user, verb, resourceRequest: true, apiGroup: RBAC_GROUP, apiVersion: '*', resource, name, namespace }).decision === 'allow';

  function checkRole(a: AdmissionAttributes, obj: KObject): void {
    const { user } = a.ctx;
    const kind = a.def.kind;
    if (kind === 'ClusterRole' && isPlainObject(obj.aggregationRule) && !allowed(user, 'escalate', 'clusterroles', a.name, undefined)) {
      throw refused(kind, a.name, 'must have cluster-admin privileges to use an aggregationRule');
    }
    if (allowed(user, 'escalate', PLURAL[kind], a.name, a.namespace)) return;
    const why = escalationMessage(user, deps.index.rulesFor(user, a.namespace), ruleList(obj));
    if (why) throw refused(kind, a.name, why);
  }

  function checkBinding(a: AdmissionAttributes, obj: KObject): void {
    const { user } = a.ctx;
    if (a.old && onlyGcFieldsChanged(obj, a.old)) return;
    const ref = (isPlainObject(obj.roleRef) ? obj.roleRef : {}) as { kind?: string; name?: string };
    const refKind = ref.kind ?? '';
    const refName = ref.name ?? '';
    if (allowed(user, 'bind', PLURAL[refKind] ?? '', refName, a.namespace)) return;
    const rules = deps.index.roleRules(refKind, refName, a.namespace);
    if (!rules) throw notFound(`${PLURAL[refKind] ?? refKind}.${RBAC_GROUP}`, refName, RBAC_GROUP, PLURAL[refKind] ?? refKind);
    const why = escalationMessage(user, deps.index.rulesFor(user, a.namespace), rules.map((r) => r.source));
    if (why) throw refused(a.def.kind, a.name, why);
  }

  return {
    name: 'RBACEscalationPrevention',
    handles: (def, op) => def.group === RBAC_GROUP && op !== 'DELETE',
    validate(a) {
      if (!a.obj || a.ctx.user.groups.includes(SYSTEM_MASTERS)) return;
      if (a.def.kind === 'Role' || a.def.kind === 'ClusterRole') checkRole(a, a.obj);
      else checkBinding(a, a.obj);
    },
  };
}

/** kube lets anyone who may update a binding change only its owner references and finalizers. */
function onlyGcFieldsChanged(obj: KObject, old: KObject): boolean {
  return (
    deepEqual(obj.roleRef, old.roleRef) &&
    deepEqual(obj.subjects ?? [], old.subjects ?? []) &&
    deepEqual(obj.metadata.labels ?? {}, old.metadata.labels ?? {}) &&
    deepEqual(obj.metadata.annotations ?? {}, old.metadata.annotations ?? {})
  );
}
