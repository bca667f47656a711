// The kuma.io/v1alpha1 kinds Workplane serves, in discovery order, and the
// helpers controllers and admission read them with.

import type { ResourceDefinition } from '../definition.js';
import { dataplaneInsightDefinition } from './dataplane-insight.js';
import { dataplaneDefinition } from './dataplane.js';
import { meshIdentityDefinition } from './mesh-identity.js';
import { meshTrustDefinition } from './mesh-trust.js';
import { meshDefinition } from './mesh.js';
import { workloadDefinition } from './workload.js';

export * from './columns.js';
export * from './dataplane-insight.js';
export * from './dataplane-schema.js';
export * from './dataplane.js';
export * from './labels.js';
export * from './mesh-identity-schema.js';
export * from './mesh-identity-validation.js';
export * from './mesh-identity.js';
export * from './mesh-trust.js';
export * from './mesh.js';
export * from './spiffe-id.js';
export * from './spiffe-template.js';
export * from './workload.js';

export const kumaDefinitions: ResourceDefinition[] = [
  workloadDefinition,
  meshDefinition,
  dataplaneDefinition,
  dataplaneInsightDefinition,
  meshIdentityDefinition,
  meshTrustDefinition,
];
