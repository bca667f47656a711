// Endpoints (core/v1): the addresses behind a Service, kept by the endpoints
// controller for services with a selector (or by hand for those without).

import { Type } from '@sinclair/typebox';
import { defineResource, type ResourceDefinition } from '../definition.js';
import { fieldError, type FieldError } from '../errors.js';
import { isPlainObject, type KObject } from '../object.js';
import { parseIpv4 } from '../compute/cidr.js';
import { int32, listOf, opt, str } from '../schemas/builders.js';
import { ObjectReferenceSchema } from '../schemas/references.js';
import { index, invalidEach } from '../validation/field.js';
import { isValidPortNum } from '../validation/names.js';
import { ageColumn, nameColumn } from './columns.js';

type Obj = Record<string, unknown>;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map((x) => (isPlainObject(x) ? x : {})) : []);

const EndpointAddressSchema = Type.Object(
  {
    ip: str('IP of the endpoint.'),
    hostname: opt(str('Hostname of the endpoint.')),
    nodeName: opt(str('Node hosting the endpoint.')),
    targetRef: opt(ObjectReferenceSchema),
  },
  { description: 'One address of an endpoint.', required: ['ip'], 'x-kubernetes-map-type': 'atomic' },
);

const EndpointPortSchema = Type.Object(
  {
    name: opt(str('Name of the port; matches the Service port name.')),
    port: int32('Port number.'),
    protocol: opt(str('`TCP` (default), `UDP` or `SCTP`.')),
    appProtocol: opt(str('Application protocol of the port.')),
  },
  { description: 'A port of the endpoints.', required: ['port'], 'x-kubernetes-map-type': 'atomic' },
);

const EndpointSubsetSchema = Type.Object(
  {
    addresses: opt(listOf('Ready addresses.', EndpointAddressSchema, { listType: 'atomic' })),
    notReadyAddresses: opt(listOf('Addresses of pods that are not ready yet.', EndpointAddressSchema, { listType: 'atomic' })),
    ports: opt(listOf('Ports available on every address.', EndpointPortSchema, { listType: 'atomic' })),
  },
  { description: 'A set of addresses sharing a set of ports.' },
);

function validateEndpoints(ep: KObject): FieldError[] {
  const errs: FieldError[] = [];
  list(ep.subsets).forEach((s, i) => {
    const path = index('subsets', i);
    for (const field of ['addresses', 'notReadyAddresses']) {
      list(s[field]).forEach((a, j) => {
        if (typeof a.ip !== 'string' || parseIpv4(a.ip) === undefined) errs.push(fieldError.invalid(`${index(`${path}.${field}`, j)}.ip`, a.ip ?? '', 'must be a valid IP address'));
      });
    }
    list(s.ports).forEach((p, j) => errs.push(...invalidEach(`${index(`${path}.ports`, j)}.port`, p.port, isValidPortNum(Number(p.port)))));
  });
  return errs;
}

/** `10.0.0.5:80,10.0.0.6:80 + 1 more...` as kubectl prints it. */
export function endpointsCell(ep: KObject): string {
  const out: string[] = [];
  let total = 0;
  for (const s of list(ep.subsets)) {
    const ports = list(s.ports);
    for (const a of list(s.addresses)) {
      for (const p of ports.length ? ports : [{}]) {
        total++;
        if (out.length < 3) out.push(p.port !== undefined ? `${String(a.ip)}:${String(p.port)}` : String(a.ip));
      }
    }
  }
  if (total === 0) return '<none>';
  return total > 3 ? `${out.join(',')} + ${total - 3} more...` : out.join(',');
}

export const endpointsDefinition: ResourceDefinition = defineResource({
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  listKind: 'EndpointsList',
  plural: 'endpoints',
  singular: 'endpoints',
  shortNames: ['ep'],
  namespaced: true,
  strategicMerge: true,
  description: 'The addresses and ports that implement a Service.',
  schema: Type.Object({ subsets: opt(listOf('Sets of addresses and the ports they share.', EndpointSubsetSchema, { listType: 'atomic' })) }, { description: 'Endpoints of a Service.' }),
  columns: [nameColumn, { name: 'Endpoints', type: 'string', description: 'Ready addresses and ports.', value: endpointsCell }, ageColumn],
  strategy: { validate: validateEndpoints, validateUpdate: (ep) => validateEndpoints(ep) },
});
