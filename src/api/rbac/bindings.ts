// RoleBinding (namespaced) and ClusterRoleBinding (rbac.authorization.k8s.io/v1):
// grant a role to users, groups and service accounts. A RoleBinding to a
// ClusterRole grants that role's rules within the binding's namespace only.

import { Type } from '@sinclair/typebox';
import { defineResource, type PrinterColumn, type ResourceDefinition } from '../definition.js';
import { isPlainObject, type KObject } from '../object.js';
import { opt } from '../schemas/index.js';
import { ageColumn, nameColumn } from '../core/columns.js';
import { defaultBinding, RBAC_GROUP, RoleRefSchema, subjectsList, validateBinding, validateBindingUpdate } from './policy-rule.js';

const subjectsOf = (o: KObject, kind: string, show: (s: Record<string, unknown>) => string) =>
  (Array.isArray(o.subjects) ? o.subjects : [])
    .filter((s): s is Record<string, unknown> => isPlainObject(s) && s.kind === kind)
    .map(show)
    .join(', ');

// As kubectl prints bindings: ROLE is Kind/name; wide adds the subjects by kind.
const bindingColumns: PrinterColumn[] = [
  nameColumn,
  {
    name: 'Role',
    type: 'string',
    description: 'The role granted (Kind/name).',
    value: (o) => (isPlainObject(o.roleRef) ? `${o.roleRef.kind}/${o.roleRef.name}` : ''),
  },
  ageColumn,
  { name: 'Users', type: 'string', priority: 1, description: 'Users in the binding.', value: (o) => subjectsOf(o, 'User', (s) => String(s.name)) },
  { name: 'Groups', type: 'string', priority: 1, description: 'Groups in the binding.', value: (o) => subjectsOf(o, 'Group', (s) => String(s.name)) },
  {
    name: 'ServiceAccounts',
    type: 'string',
    priority: 1,
    description: 'Service accounts in the binding (namespace/name).',
    value: (o) => subjectsOf(o, 'ServiceAccount', (s) => `${s.namespace ?? ''}/${s.name}`),
  },
];

const bindingSchema = (what: string) =>
  Type.Object({ subjects: opt(subjectsList()), roleRef: RoleRefSchema }, { description: what, required: ['roleRef'] });

function bindingDefinition(kind: 'RoleBinding' | 'ClusterRoleBinding', namespaced: boolean, description: string): ResourceDefinition {
  return defineResource({
    group: RBAC_GROUP,
    version: 'v1',
    kind,
    plural: `${kind.toLowerCase()}s`,
    singular: kind.toLowerCase(),
    namespaced,
    description,
    nameFormat: 'path-segment',
    schema: bindingSchema(`A ${kind}.`),
    strategicMerge: true,
    columns: bindingColumns,
    strategy: {
      prepareForCreate: (o) => defaultBinding(o),
      prepareForUpdate: (o) => defaultBinding(o),
      validate: (o) => validateBinding(o, namespaced),
      validateUpdate: (o, old) => validateBindingUpdate(o, old, namespaced),
    },
  });
}

export const roleBindingDefinition = bindingDefinition('RoleBinding', true, 'Grants a Role or ClusterRole to subjects within one namespace.');
export const clusterRoleBindingDefinition = bindingDefinition('ClusterRoleBinding', false, 'Grants a ClusterRole to subjects in every namespace.');
