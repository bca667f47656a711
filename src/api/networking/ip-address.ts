// IPAddress (networking.k8s.io/v1): one Service cluster IP, named by the
// address itself. The API server creates it, create-if-absent, before it
// stores the Service that gets the address, so replicas sharing storage can
// never hand out one address twice; it goes when the Service goes. As in
// kube 1.31+ (MultiCIDRServiceAllocator).

import { Type } from '@sinclair/typebox';
import { defineResource, type ResourceDefinition } from '../definition.js';
import { fieldError, type FieldError } from '../errors.js';
import { deepEqual, isPlainObject, type KObject } from '../object.js';
import { formatIpv4, parseIpv4 } from '../compute/cidr.js';
import { opt, str } from '../schemas/builders.js';
import { ageColumn, nameColumn, section } from '../core/columns.js';

export const IP_FAMILY_LABEL = 'ipaddress.kubernetes.io/ip-family';
export const IP_MANAGED_BY_LABEL = 'ipaddress.kubernetes.io/managed-by';
/** The manager kube's allocator writes; only its IPAddresses are released and repaired. */
export const IP_ALLOCATOR = 'ipallocator.k8s.io';

export interface ParentReference {
  group?: string;
  resource: string;
  namespace?: string;
  name: string;
}

export const parentRefOf = (o: KObject): ParentReference | undefined => {
  const p = section(o, 'spec').parentRef;
  return isPlainObject(p) ? (p as unknown as ParentReference) : undefined;
};

/** The canonical text of an IPv4 address, or undefined. */
export function canonicalIpv4(text: string): string | undefined {
  const n = parseIpv4(text);
  return n === undefined ? undefined : formatIpv4(n);
}

function validateIPAddress(o: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = o.metadata.name ?? '';
  if (name && canonicalIpv4(name) !== name) errs.push(fieldError.invalid('metadata.name', name, 'must be a canonical format IP address'));
  const p = section(o, 'spec').parentRef;
  if (!isPlainObject(p)) errs.push(fieldError.required('spec.parentRef'));
  else {
    if (!p.resource) errs.push(fieldError.required('spec.parentRef.resource'));
    if (!p.name) errs.push(fieldError.required('spec.parentRef.name'));
  }
  return errs;
}

const parentCell = (o: KObject) => {
  const p = parentRefOf(o);
  if (!p) return '<none>';
  return [p.group ? `${p.resource}.${p.group}` : p.resource, p.namespace, p.name].filter(Boolean).join('/');
};

export const ipAddressDefinition: ResourceDefinition = defineResource({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'IPAddress',
  plural: 'ipaddresses',
  singular: 'ipaddress',
  shortNames: ['ip'],
  namespaced: false,
  description: 'An IP address in use, named by the address, with a reference to the object that holds it (a Service).',
  schema: Type.Object(
    {
      spec: opt(
        Type.Object(
          {
            parentRef: opt(
              Type.Object(
                {
                  group: opt(str('Group of the referent ("" for core).')),
                  resource: str('Resource of the referent (services).'),
                  namespace: opt(str('Namespace of the referent.')),
                  name: str('Name of the referent.'),
                },
                { description: 'The object this address belongs to.' },
              ),
            ),
          },
          { description: 'Who holds the address.' },
        ),
      ),
    },
    { description: 'An IPAddress.' },
  ),
  columns: [nameColumn, { name: 'ParentRef', type: 'string', description: 'The object holding the address.', value: parentCell }, ageColumn],
  strategy: {
    validate: validateIPAddress,
    validateUpdate: (o, old) => {
      const errs = validateIPAddress(o);
      if (!deepEqual(section(o, 'spec').parentRef, section(old, 'spec').parentRef)) errs.push(fieldError.invalid('spec.parentRef', section(o, 'spec').parentRef, 'field is immutable'));
      return errs;
    },
  },
});
