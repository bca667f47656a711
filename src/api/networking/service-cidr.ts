// ServiceCIDR (networking.k8s.io/v1): a range Services' cluster IPs come
// from. `workplane serve` keeps one, `kubernetes`, for --service-cluster-ip-range
// (as kube's default ServiceCIDR); allocation draws from that range.

import { Type } from '@sinclair/typebox';
import { defineResource, type ResourceDefinition } from '../definition.js';
import { fieldError, type FieldError } from '../errors.js';
import { deepEqual, type KObject } from '../object.js';
import { cidrErrors } from '../compute/cidr.js';
import { opt, stringList } from '../schemas/builders.js';
import { conditionsList } from '../schemas/condition.js';
import { ageColumn, nameColumn, section } from '../core/columns.js';

export const DEFAULT_SERVICE_CIDR_NAME = 'kubernetes';

const cidrsOf = (o: KObject): unknown[] => {
  const c = section(o, 'spec').cidrs;
  return Array.isArray(c) ? c : [];
};

function validateServiceCIDR(o: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const cidrs = cidrsOf(o);
  if (cidrs.length === 0) errs.push(fieldError.required('spec.cidrs', 'at least one CIDR required'));
  else if (cidrs.length > 1) errs.push(fieldError.tooMany('spec.cidrs', cidrs.length, 1));
  cidrs.forEach((c, i) => {
    const problems = cidrErrors(String(c));
    if (problems.length) errs.push(fieldError.invalid(`spec.cidrs[${i}]`, c, problems.join('; ')));
  });
  return errs;
}

export const serviceCIDRDefinition: ResourceDefinition = defineResource({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'ServiceCIDR',
  plural: 'servicecidrs',
  singular: 'servicecidr',
  namespaced: false,
  description: 'A range of IP addresses Services take their cluster IPs from.',
  schema: Type.Object(
    {
      spec: opt(Type.Object({ cidrs: opt(stringList('The CIDR (one IPv4 range).')) }, { description: 'The range.' })),
      status: opt(Type.Object({ conditions: opt(conditionsList('Ready: addresses may be allocated from the range.')) }, { description: 'Observed state.' })),
    },
    { description: 'A ServiceCIDR.' },
  ),
  subresources: { status: true },
  columns: [nameColumn, { name: 'CIDRs', type: 'string', description: 'The ranges.', value: (o) => cidrsOf(o).join(',') }, ageColumn],
  strategy: {
    validate: validateServiceCIDR,
    validateUpdate: (o, old, ctx) => {
      if (ctx.subresource === 'status') return [];
      const errs = validateServiceCIDR(o);
      if (!deepEqual(cidrsOf(o), cidrsOf(old))) errs.push(fieldError.invalid('spec.cidrs', cidrsOf(o), 'field is immutable'));
      return errs;
    },
  },
});
