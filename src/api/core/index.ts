// The core kinds Workplane serves (core/v1, coordination.k8s.io, authorization.k8s.io).

import type { ResourceDefinition } from '../definition.js';
import { localSubjectAccessReviewDefinition, selfSubjectAccessReviewDefinition, selfSubjectRulesReviewDefinition, subjectAccessReviewDefinition } from './access-reviews.js';
import { configMapDefinition } from './config-map.js';
import { eventDefinition } from './event.js';
import { leaseDefinition } from './lease.js';
import { namespaceDefinition } from './namespace.js';
import { nodeDefinition } from './node.js';
import { podDefinition } from './pod.js';
import { secretDefinition } from './secret.js';
import { selfSubjectReviewDefinition } from './self-subject-review.js';
import { serviceAccountDefinition } from './service-account.js';

export * from './access-reviews.js';
export * from './config-map.js';
export * from './event.js';
export * from './lease.js';
export * from './namespace.js';
export * from './node.js';
export * from './pod.js';
export * from './pod-defaults.js';
export * from './pod-qos.js';
export * from './pod-table.js';
export * from './pod-update.js';
export * from './secret.js';
export * from './self-subject-review.js';
export * from './service-account.js';
export * from './token-request.js';

import { resourceQuotaDefinition } from './resource-quota.js';
import { serviceDefinition } from './service.js';
import { endpointsDefinition } from './endpoints.js';
import { persistentVolumeClaimDefinition, persistentVolumeDefinition, replicationControllerDefinition } from './storage-kinds.js';
export * from './resource-quota.js';
export * from './service.js';
export * from './service-validation.js';
export * from './endpoints.js';
export * from './storage-kinds.js';

export const coreDefinitions: ResourceDefinition[] = [
  namespaceDefinition,
  serviceAccountDefinition,
  podDefinition,
  nodeDefinition,
  eventDefinition,
  secretDefinition,
  configMapDefinition,
  leaseDefinition,
  resourceQuotaDefinition,
  serviceDefinition,
  endpointsDefinition,
  persistentVolumeClaimDefinition,
  persistentVolumeDefinition,
  replicationControllerDefinition,
  selfSubjectAccessReviewDefinition,
  selfSubjectRulesReviewDefinition,
  subjectAccessReviewDefinition,
  localSubjectAccessReviewDefinition,
  selfSubjectReviewDefinition,
];
