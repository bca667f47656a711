// Lease (coordination.k8s.io/v1): a lightweight lock. Node agents renew one
// per node as a heartbeat; controllers and the scheduler elect leaders with them.

import { Type } from '@sinclair/typebox';
import { defineResource, type ResourceDefinition } from '../definition.js';
import type { FieldError } from '../errors.js';
import type { KObject } from '../object.js';
import { int32, microTime, opt, str } from '../schemas/index.js';
import { isNonNegative, isPositive } from '../validation/field.js';
import { ageColumn, nameColumn, section } from './columns.js';

const LeaseSpecSchema = Type.Object(
  {
    holderIdentity: opt(str('Identity of the current holder.')),
    leaseDurationSeconds: opt(int32('Seconds candidates wait after the last renewal before taking the lease over.')),
    acquireTime: opt(microTime('When the current holder acquired the lease.')),
    renewTime: opt(microTime('When the holder last renewed the lease.')),
    leaseTransitions: opt(int32('How many times the lease changed holders.')),
    strategy: opt(str('Strategy for picking the next holder in coordinated leader election.')),
    preferredHolder: opt(str('Holder the election should move the lease to.')),
  },
  { description: 'Desired state of the lease.' },
);

export function validateLease(lease: KObject): FieldError[] {
  const spec = section(lease, 'spec');
  return [
    ...isPositive('spec.leaseDurationSeconds', spec.leaseDurationSeconds),
    ...isNonNegative('spec.leaseTransitions', spec.leaseTransitions),
  ];
}

export const leaseDefinition: ResourceDefinition = defineResource({
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  singular: 'lease',
  namespaced: true,
  description: 'A lock with a holder and an expiry, for heartbeats and leader election.',
  schema: Type.Object({ spec: opt(LeaseSpecSchema) }, { description: 'A lease.' }),
  strategicMerge: true,
  columns: [
    nameColumn,
    { name: 'Holder', type: 'string', description: 'Identity of the current holder.', jsonPath: '.spec.holderIdentity' },
    ageColumn,
  ],
  strategy: {
    validate: validateLease,
    validateUpdate: (o) => validateLease(o),
  },
});
