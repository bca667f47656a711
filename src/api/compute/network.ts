// Network (networking.miloapis.com/v1alpha1): an IPv4 address block that
// Workloads in the same namespace join through spec.networkRef; each of their
// pods gets an address from it. The controller counts addresses in status.

import { Type } from '@sinclair/typebox';
import { defineResource, type OperationContext, type ResourceDefinition } from '../definition.js';
import type { FieldError } from '../errors.js';
import { isPlainObject, type KObject } from '../object.js';
import { conditionsList, int32, opt, str } from '../schemas/index.js';
import { ageColumn, nameColumn, section } from '../core/columns.js';
import { invalidEach, isNonNegative } from '../validation/field.js';
import { validateImmutableField } from '../validation/object-meta.js';
import { cidrErrors, parseCidr, usableAddresses } from './cidr.js';

export const DEFAULT_NETWORK_CIDR = '10.128.0.0/16';

const CIDR_PATH = 'spec.ipam.cidr';
const obj = (v: unknown): Record<string, unknown> => (isPlainObject(v) ? v : {});
const rawCidr = (n: KObject): unknown => obj(obj(n.spec).ipam).cidr;

/** The network's CIDR, the default when unset. */
export const networkCidr = (n: KObject): string => {
  const cidr = rawCidr(n);
  return typeof cidr === 'string' && cidr !== '' ? cidr : DEFAULT_NETWORK_CIDR;
};

// The schema default only lands where an `ipam` object exists; this fills the whole path.
function defaultCidr(n: KObject): void {
  if (!isPlainObject(n.spec)) n.spec = {};
  const spec = n.spec as Record<string, unknown>;
  if (!isPlainObject(spec.ipam)) spec.ipam = {};
  const ipam = spec.ipam as Record<string, unknown>;
  if (ipam.cidr === undefined || ipam.cidr === null || ipam.cidr === '') ipam.cidr = DEFAULT_NETWORK_CIDR;
}

function prepareForCreate(n: KObject): void {
  defaultCidr(n);
  const c = parseCidr(networkCidr(n));
  // Counts are meaningful from the start; the controller keeps them current.
  n.status = { allocated: 0, available: c ? usableAddresses(c) : 0 };
}

function validateNetwork(n: KObject): FieldError[] {
  const cidr = rawCidr(n);
  return typeof cidr === 'string' ? invalidEach(CIDR_PATH, cidr, cidrErrors(cidr)) : [];
}

function validateStatus(n: KObject): FieldError[] {
  const st = section(n, 'status');
  return [...isNonNegative('status.allocated', st.allocated), ...isNonNegative('status.available', st.available)];
}

// Addresses already handed to pods come from the block, so it cannot move under them.
function validateUpdate(n: KObject, old: KObject, ctx: OperationContext): FieldError[] {
  if (ctx.subresource === 'status') return validateStatus(n);
  return [...validateNetwork(n), ...validateImmutableField(networkCidr(n), networkCidr(old), CIDR_PATH)];
}

const count = (field: string) => (n: KObject) => {
  const v = section(n, 'status')[field];
  return typeof v === 'number' ? v : 0;
};

export const networkDefinition: ResourceDefinition = defineResource({
  group: 'networking.miloapis.com',
  version: 'v1alpha1',
  kind: 'Network',
  plural: 'networks',
  singular: 'network',
  shortNames: ['net'],
  namespaced: true,
  description: 'An IPv4 address block; pods of the Workloads that reference it get their addresses from it.',
  schema: Type.Object(
    {
      spec: opt(
        Type.Object(
          {
            ipam: opt(
              Type.Object(
                { cidr: opt(str('IPv4 block in CIDR notation the addresses come from. Cannot be changed.', { default: DEFAULT_NETWORK_CIDR })) },
                { description: 'Address management of the network.' },
              ),
            ),
          },
          { description: 'Desired state of the network.' },
        ),
      ),
      status: opt(
        Type.Object(
          {
            allocated: opt(int32('Addresses currently held by pods.')),
            available: opt(int32('Addresses still free in the block.')),
            conditions: opt(conditionsList('Current observations of the network.')),
          },
          { description: 'Observed state of the network.' },
        ),
      ),
    },
    { description: 'A network.' },
  ),
  subresources: { status: true },
  columns: [
    nameColumn,
    { name: 'CIDR', type: 'string', description: 'Address block of the network.', value: networkCidr, jsonPath: '.spec.ipam.cidr' },
    { name: 'Allocated', type: 'integer', description: 'Addresses held by pods.', value: count('allocated'), jsonPath: '.status.allocated' },
    ageColumn,
    { name: 'Available', type: 'integer', priority: 1, description: 'Addresses still free.', value: count('available'), jsonPath: '.status.available' },
  ],
  strategy: {
    prepareForCreate,
    validate: validateNetwork,
    prepareForUpdate: (n) => defaultCidr(n),
    validateUpdate,
  },
});
