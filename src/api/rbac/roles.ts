// Role (namespaced) and ClusterRole (rbac.authorization.k8s.io/v1): named
// sets of rules. A ClusterRole with an aggregationRule has its rules filled
// by the aggregation controller from the ClusterRoles its selectors match.

import { Type } from '@sinclair/typebox';
import { defineResource, type PrinterColumn, type ResourceDefinition } from '../definition.js';
import { opt } from '../schemas/index.js';
import { nameColumn } from '../core/columns.js';
import { AggregationRuleSchema, RBAC_GROUP, rulesList, validateAggregationRule, validateRules } from './policy-rule.js';

/** kubectl shows roles with their creation time as RFC 3339, not an age. */
export const createdAtColumn: PrinterColumn = {
  name: 'Created At',
  type: 'string',
  description: 'Time the object was created (RFC 3339, UTC).',
  jsonPath: '.metadata.creationTimestamp',
};

export const roleDefinition: ResourceDefinition = defineResource({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'Role',
  plural: 'roles',
  singular: 'role',
  namespaced: true,
  description: 'A namespaced set of permissions, granted by RoleBindings in its namespace.',
  nameFormat: 'path-segment',
  schema: Type.Object({ rules: opt(rulesList()) }, { description: 'A role.' }),
  strategicMerge: true,
  columns: [nameColumn, createdAtColumn],
  strategy: {
    validate: (o) => validateRules(o.rules, true),
  },
});

export const clusterRoleDefinition: ResourceDefinition = defineResource({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'ClusterRole',
  plural: 'clusterroles',
  singular: 'clusterrole',
  namespaced: false,
  description: 'A cluster-wide set of permissions, granted by ClusterRoleBindings everywhere or by RoleBindings in one namespace.',
  nameFormat: 'path-segment',
  schema: Type.Object({ rules: opt(rulesList()), aggregationRule: opt(AggregationRuleSchema) }, { description: 'A cluster role.' }),
  strategicMerge: true,
  columns: [nameColumn, createdAtColumn],
  strategy: {
    validate: (o) => [...validateRules(o.rules, false), ...validateAggregationRule(o.aggregationRule)],
  },
});
