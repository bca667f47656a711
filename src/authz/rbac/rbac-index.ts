// The in-memory view RBAC decides from: compiled rules per role and, per
// subject (user name or group), the bindings that grant it something,
// split into cluster-wide grants and grants per namespace. Each watch event
// changes only the entries of the object it carries, so a request looks up
// its user's and groups' grants and walks only their rules, never every
// binding in the cluster, and never storage.

import type { KObject } from '../../api/object.js';
import { isPlainObject } from '../../api/object.js';
import type { PolicyRule } from '../../api/rbac/policy-rule.js';
import type { UserInfo } from '../../api/definition.js';
import { compileRule, type CompiledRule } from './rule-matching.js';

export type RbacKind = 'Role' | 'ClusterRole' | 'RoleBinding' | 'ClusterRoleBinding';

interface Binding {
  kind: 'RoleBinding' | 'ClusterRoleBinding';
  /** The binding's namespace; undefined for ClusterRoleBindings. */
  namespace?: string;
  name: string;
  roleKind: string;
  roleName: string;
  /** Subject keys this binding was indexed under. */
  keys: string[];
}

/** One binding's grant to one subject, with kube's description of it for review reasons. */
export interface Grant {
  readonly binding: Binding;
  readonly describe: string;
}

interface SubjectGrants {
  cluster: Grant[];
  byNamespace: Map<string, Grant[]>;
}

const userKey = (name: string) => `u:${name}`;
const groupKey = (name: string) => `g:${name}`;
const roleKey = (ns: string, name: string) => `${ns}/${name}`;
const bindingKey = (kind: string, ns: string | undefined, name: string) => `${kind}/${ns ?? ''}/${name}`;

function subjectOf(s: Record<string, unknown>, bindingNs: string | undefined): { key: string; text: string } | undefined {
  const name = typeof s.name === 'string' ? s.name : '';
  if (!name) return undefined;
  switch (s.kind) {
    case 'User':
      return { key: userKey(name), text: `User ${JSON.stringify(name)}` };
    case 'Group':
      return { key: groupKey(name), text: `Group ${JSON.stringify(name)}` };
    case 'ServiceAccount': {
      const ns = typeof s.namespace === 'string' && s.namespace ? s.namespace : bindingNs;
      if (!ns) return undefined;
      return { key: userKey(`system:serviceaccount:${ns}:${name}`), text: `ServiceAccount ${JSON.stringify(`${name}/${ns}`)}` };
    }
  }
  return undefined;
}

export interface RuleVisitor {
  /** Return false to stop. */
  (rule: CompiledRule, grant: Grant): boolean;
}

export class RbacIndex {
  private readonly clusterRoles = new Map<string, CompiledRule[]>();
  private readonly roles = new Map<string, CompiledRule[]>();
  private readonly bindings = new Map<string, Binding>();
  /** Subject key (`u:name`, `g:name`) → grants; byUser / byGroup share the entries, keyed without prefix, so a request builds no strings. */
  private readonly subjects = new Map<string, SubjectGrants>();
  private readonly byUser = new Map<string, SubjectGrants>();
  private readonly byGroup = new Map<string, SubjectGrants>();

  /** Applies an added or modified object. */
  upsert(kind: RbacKind, obj: KObject): void {
    if (kind === 'Role' || kind === 'ClusterRole') {
      const rules = Array.isArray(obj.rules) ? (obj.rules as PolicyRule[]).filter(isPlainObject).map(compileRule) : [];
      if (kind === 'ClusterRole') this.clusterRoles.set(obj.metadata.name!, rules);
      else this.roles.set(roleKey(obj.metadata.namespace!, obj.metadata.name!), rules);
      return;
    }
    this.remove(kind, obj);
    const ns = kind === 'RoleBinding' ? obj.metadata.namespace : undefined;
    const ref = isPlainObject(obj.roleRef) ? obj.roleRef : {};
    const b: Binding = { kind, namespace: ns, name: obj.metadata.name!, roleKind: String(ref.kind ?? ''), roleName: String(ref.name ?? ''), keys: [] };
    const where = ns === undefined ? `ClusterRoleBinding ${JSON.stringify(b.name)}` : `RoleBinding ${JSON.stringify(`${b.name}/${ns}`)}`;
    for (const s of Array.isArray(obj.subjects) ? obj.subjects : []) {
      if (!isPlainObject(s)) continue;
      const subject = subjectOf(s, ns);
      if (!subject || b.keys.includes(subject.key)) continue;
      b.keys.push(subject.key);
      const grant: Grant = { binding: b, describe: `${where} of ${b.roleKind} ${JSON.stringify(b.roleName)} to ${subject.text}` };
      let g = this.subjects.get(subject.key);
      if (!g) {
        g = { cluster: [], byNamespace: new Map() };
        this.subjects.set(subject.key, g);
        (subject.key.startsWith('u:') ? this.byUser : this.byGroup).set(subject.key.slice(2), g);
      }
      if (ns === undefined) g.cluster.push(grant);
      else {
        const list = g.byNamespace.get(ns);
        if (list) list.push(grant);
        else g.byNamespace.set(ns, [grant]);
      }
    }
    this.bindings.set(bindingKey(kind, ns, b.name), b);
  }

  /** Applies a deletion. */
  remove(kind: RbacKind, obj: KObject): void {
    const name = obj.metadata.name!;
    if (kind === 'ClusterRole') return void this.clusterRoles.delete(name);
    if (kind === 'Role') return void this.roles.delete(roleKey(obj.metadata.namespace!, name));
    const ns = kind === 'RoleBinding' ? obj.metadata.namespace : undefined;
    const key = bindingKey(kind, ns, name);
    const b = this.bindings.get(key);
    if (!b) return;
    this.bindings.delete(key);
    for (const k of b.keys) {
      const g = this.subjects.get(k);
      if (!g) continue;
      if (ns === undefined) g.cluster = g.cluster.filter((x) => x.binding !== b);
      else {
        const left = (g.byNamespace.get(ns) ?? []).filter((x) => x.binding !== b);
        if (left.length) g.byNamespace.set(ns, left);
        else g.byNamespace.delete(ns);
      }
      if (g.cluster.length === 0 && g.byNamespace.size === 0) {
        this.subjects.delete(k);
        (k.startsWith('u:') ? this.byUser : this.byGroup).delete(k.slice(2));
      }
    }
  }

  /** The rules a binding's role reference resolves to; undefined when the role does not exist. */
  roleRules(roleKind: string, roleName: string, namespace: string | undefined): CompiledRule[] | undefined {
    if (roleKind === 'ClusterRole') return this.clusterRoles.get(roleName);
    if (roleKind === 'Role' && namespace) return this.roles.get(roleKey(namespace, roleName));
    return undefined;
  }

  /**
   * Calls `visit` with every rule that applies to the user in `namespace`
   * (cluster-wide grants first, as kube), until it returns false.
   */
  visitRules(user: UserInfo, namespace: string | undefined, visit: RuleVisitor): void {
    if (!this.visitSubject(this.byUser.get(user.username), namespace, visit)) return;
    for (const group of user.groups) if (!this.visitSubject(this.byGroup.get(group), namespace, visit)) return;
  }

  private visitSubject(g: SubjectGrants | undefined, namespace: string | undefined, visit: RuleVisitor): boolean {
    if (!g) return true;
    for (const grant of g.cluster) if (!this.visitGrant(grant, undefined, visit)) return false;
    if (namespace) {
      const local = g.byNamespace.get(namespace);
      if (local) for (const grant of local) if (!this.visitGrant(grant, namespace, visit)) return false;
    }
    return true;
  }

  private visitGrant(grant: Grant, namespace: string | undefined, visit: RuleVisitor): boolean {
    const rules = this.roleRules(grant.binding.roleKind, grant.binding.roleName, namespace);
    if (!rules) return true;
    for (const r of rules) if (!visit(r, grant)) return false;
    return true;
  }

  /** Every PolicyRule that applies to the user in `namespace` (SelfSubjectRulesReview, escalation checks). */
  rulesFor(user: UserInfo, namespace: string | undefined): PolicyRule[] {
    const out: PolicyRule[] = [];
    this.visitRules(user, namespace, (r) => {
      out.push(r.source);
      return true;
    });
    return out;
  }
}
