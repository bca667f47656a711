// The shapes RBAC kinds share (PolicyRule, Subject, RoleRef, AggregationRule)
// and their validation, worded as kube-apiserver's rbac validation words it.

import { Type } from '@sinclair/typebox';
import { fieldError, type FieldError } from '../errors.js';
import { isPlainObject } from '../object.js';
import { listOf, opt, str, stringList } from '../schemas/index.js';
import { LabelSelectorSchema } from '../schemas/references.js';
import { child, index } from '../validation/field.js';
import { isDNS1123Subdomain, pathSegmentErrors } from '../validation/names.js';
import { validateLabelSelector } from '../compute/label-selector-validation.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

export const PolicyRuleSchema = Type.Object(
  {
    verbs: stringList('Verbs the rule allows (`get`, `list`, ... or `*` for all).'),
    apiGroups: opt(stringList('API groups of the resources; `""` is the core group, `*` all groups.')),
    resources: opt(stringList('Resources the rule applies to; `*` all, `pods/log` a subresource, `*/scale` that subresource of every resource.')),
    resourceNames: opt(stringList('Object names the rule is limited to; empty means every name.')),
    nonResourceURLs: opt(stringList('URL paths (ClusterRoles only); a trailing `*` is a prefix match.')),
  },
  { description: 'Actions a role allows.' },
);
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export const SubjectSchema = Type.Object(
  {
    kind: str('`User`, `Group` or `ServiceAccount`.'),
    apiGroup: opt(str('`rbac.authorization.k8s.io` for users and groups, `""` for service accounts.')),
    name: str('Name of the subject.'),
    namespace: opt(str('Namespace of a ServiceAccount; in a RoleBinding it defaults to the binding\'s.')),
  },
  { description: 'Who a binding grants the role to.', 'x-kubernetes-map-type': 'atomic' },
);
export interface Subject {
  kind: string;
  apiGroup?: string;
  name: string;
  namespace?: string;
}

export const RoleRefSchema = Type.Object(
  {
    apiGroup: str('Group of the referenced role: `rbac.authorization.k8s.io`.'),
    kind: str('`Role` or `ClusterRole`.'),
    name: str('Name of the referenced role.'),
  },
  { description: 'The role a binding grants; it cannot change after creation.', 'x-kubernetes-map-type': 'atomic' },
);
export interface RoleRef {
  apiGroup: string;
  kind: string;
  name: string;
}

export const AggregationRuleSchema = Type.Object(
  {
    clusterRoleSelectors: opt(
      listOf('ClusterRoles whose rules are combined into this one; a role matching any selector contributes.', LabelSelectorSchema, { listType: 'atomic' }),
    ),
  },
  { description: 'How the controller fills this ClusterRole\'s rules from other ClusterRoles.' },
);

export const rulesList = () => listOf('Actions the role allows.', PolicyRuleSchema, { listType: 'atomic' });
export const subjectsList = () => listOf('Users, groups and service accounts the role is granted to.', SubjectSchema, { listType: 'atomic' });

const len = (v: unknown) => (Array.isArray(v) ? v.length : 0);

/** kube's ValidatePolicyRule: namespaced rules may not name URLs; resource rules need groups and resources. */
export function validatePolicyRule(raw: unknown, namespaced: boolean, path: string): FieldError[] {
  const rule = isPlainObject(raw) ? raw : {};
  const errs: FieldError[] = [];
  if (len(rule.verbs) === 0) errs.push(fieldError.required(child(path, 'verbs'), 'verbs must contain at least one value'));
  if (len(rule.nonResourceURLs) > 0) {
    if (namespaced) errs.push(fieldError.invalid(child(path, 'nonResourceURLs'), rule.nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs'));
    if (len(rule.apiGroups) > 0 || len(rule.resources) > 0 || len(rule.resourceNames) > 0) {
      errs.push(fieldError.invalid(child(path, 'nonResourceURLs'), rule.nonResourceURLs, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (len(rule.apiGroups) === 0) errs.push(fieldError.required(child(path, 'apiGroups'), 'resource rules must supply at least one api group'));
  if (len(rule.resources) === 0) errs.push(fieldError.required(child(path, 'resources'), 'resource rules must supply at least one resource'));
  return errs;
}

export function validateRules(rules: unknown, namespaced: boolean): FieldError[] {
  if (!Array.isArray(rules)) return [];
  return rules.flatMap((r, i) => validatePolicyRule(r, namespaced, index('rules', i)));
}

/** kube's ValidateRoleBindingSubject. */
export function validateSubject(raw: unknown, namespaced: boolean, path: string): FieldError[] {
  const s = isPlainObject(raw) ? raw : {};
  const errs: FieldError[] = [];
  const name = typeof s.name === 'string' ? s.name : '';
  const apiGroup = typeof s.apiGroup === 'string' ? s.apiGroup : '';
  if (!name) errs.push(fieldError.required(child(path, 'name')));
  switch (s.kind) {
    case 'ServiceAccount':
      if (name) for (const m of isDNS1123Subdomain(name)) errs.push(fieldError.invalid(child(path, 'name'), name, m));
      if (apiGroup) errs.push(fieldError.notSupported(child(path, 'apiGroup'), apiGroup, ['']));
      if (!namespaced && !s.namespace) errs.push(fieldError.required(child(path, 'namespace')));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== RBAC_GROUP) errs.push(fieldError.notSupported(child(path, 'apiGroup'), apiGroup, [RBAC_GROUP]));
      break;
    default:
      errs.push(fieldError.notSupported(child(path, 'kind'), s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

/** kube's ValidateRoleBinding / ValidateClusterRoleBinding (metadata is checked by the generic pipeline). */
export function validateBinding(o: Record<string, unknown>, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ref = isPlainObject(o.roleRef) ? o.roleRef : {};
  if (ref.apiGroup !== RBAC_GROUP) errs.push(fieldError.notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(ref.kind as string)) errs.push(fieldError.notSupported('roleRef.kind', ref.kind ?? '', kinds));
  const name = typeof ref.name === 'string' ? ref.name : '';
  if (!name) errs.push(fieldError.required('roleRef.name'));
  else for (const m of pathSegmentErrors(name)) errs.push(fieldError.invalid('roleRef.name', name, m));
  if (Array.isArray(o.subjects)) o.subjects.forEach((s, i) => errs.push(...validateSubject(s, namespaced, index('subjects', i))));
  return errs;
}

/** Bindings may not change the role they grant (kube: "cannot change roleRef"). */
export function validateBindingUpdate(o: Record<string, unknown>, old: Record<string, unknown>, namespaced: boolean): FieldError[] {
  const errs = validateBinding(o, namespaced);
  const a = (isPlainObject(o.roleRef) ? o.roleRef : {}) as Record<string, unknown>;
  const b = (isPlainObject(old.roleRef) ? old.roleRef : {}) as Record<string, unknown>;
  if (a.apiGroup !== b.apiGroup || a.kind !== b.kind || a.name !== b.name) {
    errs.push(fieldError.invalid('roleRef', { apiGroup: a.apiGroup, kind: a.kind, name: a.name }, 'cannot change roleRef'));
  }
  return errs;
}

/** An aggregationRule, when present, needs at least one valid selector. */
export function validateAggregationRule(rule: unknown): FieldError[] {
  if (!isPlainObject(rule)) return [];
  const selectors = Array.isArray(rule.clusterRoleSelectors) ? rule.clusterRoleSelectors : [];
  if (selectors.length === 0) {
    return [fieldError.required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil')];
  }
  return selectors.flatMap((s, i) => validateLabelSelector(s, index('aggregationRule.clusterRoleSelectors', i)));
}

/** kube's SetDefaults_Subject and roleRef defaulting: users and groups belong to the RBAC group. */
export function defaultBinding(o: Record<string, unknown>): void {
  if (isPlainObject(o.roleRef) && !o.roleRef.apiGroup) o.roleRef.apiGroup = RBAC_GROUP;
  if (!Array.isArray(o.subjects)) return;
  for (const s of o.subjects) {
    if (!isPlainObject(s) || s.apiGroup) continue;
    if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = RBAC_GROUP;
  }
}
