// EndpointSlice (discovery.k8s.io/v1): a bounded slice of a Service's
// endpoints, labelled kubernetes.io/service-name, kept by the endpointslice
// controller from the pods the Service selects.

import { Type } from '@sinclair/typebox';
import { defineResource, type ResourceDefinition } from '../definition.js';
import { fieldError, type FieldError } from '../errors.js';
import { isPlainObject, type KObject } from '../object.js';
import { parseIpv4 } from '../compute/cidr.js';
import { bool, int32, listOf, openObject, opt, str, stringList } from '../schemas/builders.js';
import { ObjectReferenceSchema } from '../schemas/references.js';
import { index } from '../validation/field.js';
import { ageColumn, nameColumn } from '../core/columns.js';

type Obj = Record<string, unknown>;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map((x) => (isPlainObject(x) ? x : {})) : []);

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const ENDPOINTSLICE_CONTROLLER = 'endpointslice-controller.k8s.io';
const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
export const MAX_ENDPOINTS_PER_SLICE = 1000;

const EndpointSchema = Type.Object(
  {
    addresses: stringList('Addresses of the endpoint (one for IPv4 slices).', { 'x-kubernetes-list-type': 'set' }),
    conditions: opt(
      Type.Object(
        {
          ready: opt(bool('Ready to receive traffic (the pod is ready and not terminating).')),
          serving: opt(bool('Ready regardless of terminating state.')),
          terminating: opt(bool('The endpoint is terminating.')),
        },
        { description: 'Current state of the endpoint.' },
      ),
    ),
    hostname: opt(str('Hostname of the endpoint.')),
    targetRef: opt(ObjectReferenceSchema),
    nodeName: opt(str('Node hosting the endpoint.')),
    zone: opt(str('Zone of the endpoint.')),
    hints: opt(openObject('Topology hints for consumers.')),
    deprecatedTopology: opt(openObject('Deprecated topology labels.')),
  },
  { description: 'One backend of the service.', required: ['addresses'] },
);

const EndpointPortSchema = Type.Object(
  {
    name: opt(str('Name of the port; matches the Service port name.')),
    protocol: opt(str('`TCP` (default), `UDP` or `SCTP`.')),
    port: opt(int32('Port number; unset means all ports.')),
    appProtocol: opt(str('Application protocol of the port.')),
  },
  { description: 'A port of the endpoints.', 'x-kubernetes-map-type': 'atomic' },
);

function validateSlice(s: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const type = s.addressType;
  if (!ADDRESS_TYPES.includes(String(type))) errs.push(type === undefined ? fieldError.required('addressType') : fieldError.notSupported('addressType', type, ADDRESS_TYPES));
  const endpoints = list(s.endpoints);
  if (endpoints.length > MAX_ENDPOINTS_PER_SLICE) errs.push(fieldError.tooMany('endpoints', endpoints.length, MAX_ENDPOINTS_PER_SLICE));
  endpoints.forEach((e, i) => {
    const addrs = Array.isArray(e.addresses) ? e.addresses : [];
    if (addrs.length === 0) errs.push(fieldError.required(`${index('endpoints', i)}.addresses`, 'must contain at least 1 address'));
    addrs.forEach((a, j) => {
      if (type === 'IPv4' && parseIpv4(String(a)) === undefined) errs.push(fieldError.invalid(index(`${index('endpoints', i)}.addresses`, j), a, 'must be a valid IPv4 address'));
    });
  });
  return errs;
}

function portsCell(s: KObject): string {
  const ports = list(s.ports);
  if (ports.length === 0) return '<unset>';
  return ports.map((p) => (p.port === undefined ? '<unset>' : String(p.port))).join(',');
}

function endpointsCell(s: KObject): string {
  const addrs = list(s.endpoints).flatMap((e) => (Array.isArray(e.addresses) ? e.addresses.map(String) : []));
  if (addrs.length === 0) return '<unset>';
  return addrs.length > 3 ? `${addrs.slice(0, 3).join(',')} + ${addrs.length - 3} more...` : addrs.join(',');
}

export const endpointSliceDefinition: ResourceDefinition = defineResource({
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  plural: 'endpointslices',
  singular: 'endpointslice',
  namespaced: true,
  strategicMerge: true,
  description: 'A subset of the endpoints that implement a service.',
  schema: Type.Object(
    {
      addressType: opt(str('Type of the addresses: `IPv4`, `IPv6` or `FQDN`. Required; immutable.')),
      endpoints: opt(listOf('Unique endpoints of the slice (at most 1000).', EndpointSchema, { listType: 'atomic' })),
      ports: opt(listOf('Network ports every endpoint exposes.', EndpointPortSchema, { listType: 'atomic' })),
    },
    { description: 'An EndpointSlice.' },
  ),
  columns: [
    nameColumn,
    { name: 'AddressType', type: 'string', description: 'Type of the addresses.', jsonPath: '.addressType' },
    { name: 'Ports', type: 'string', description: 'Ports of the endpoints.', value: portsCell },
    { name: 'Endpoints', type: 'string', description: 'Addresses of the endpoints.', value: endpointsCell },
    ageColumn,
  ],
  strategy: {
    validate: validateSlice,
    validateUpdate: (s, old) => [
      ...validateSlice(s),
      ...(s.addressType !== old.addressType ? [fieldError.invalid('addressType', s.addressType, 'field is immutable')] : []),
    ],
  },
});
