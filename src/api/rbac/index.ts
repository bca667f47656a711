// rbac.authorization.k8s.io/v1: roles and the bindings that grant them.

import type { ResourceDefinition } from '../definition.js';
import { clusterRoleBindingDefinition, roleBindingDefinition } from './bindings.js';
import { clusterRoleDefinition, roleDefinition } from './roles.js';

export * from './policy-rule.js';
export * from './roles.js';
export * from './bindings.js';

export const rbacDefinitions: ResourceDefinition[] = [clusterRoleBindingDefinition, clusterRoleDefinition, roleBindingDefinition, roleDefinition];
