// The apps/v1 kinds Workplane serves.

import type { ResourceDefinition } from '../definition.js';
import { deploymentDefinition } from './deployment.js';
import { replicaSetDefinition } from './replica-set.js';
import { controllerRevisionDefinition, daemonSetDefinition, statefulSetDefinition } from './stored-workloads.js';

export * from './deployment.js';
export * from './pod-template-validation.js';
export * from './replica-set.js';
export * from './stored-workloads.js';
export * from './template-columns.js';

export const appsDefinitions: ResourceDefinition[] = [deploymentDefinition, replicaSetDefinition, statefulSetDefinition, daemonSetDefinition, controllerRevisionDefinition];
