// Ingress (networking.k8s.io/v1): HTTP routing rules to Services. Served and
// validated so manifests and `kubectl apply --prune` (whose default allowlist
// names Ingresses) work; no ingress controller acts on them.

import { Type } from '@sinclair/typebox';
import { defineResource, type ResourceDefinition } from '../definition.js';
import { fieldError, type FieldError } from '../errors.js';
import { isPlainObject, type KObject } from '../object.js';
import { listOf, openObject, opt, str } from '../schemas/builders.js';
import { index } from '../validation/field.js';
import { ageColumn, nameColumn, section } from '../core/columns.js';

type Obj = Record<string, unknown>;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map((x) => (isPlainObject(x) ? x : {})) : []);
const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

function validateIngress(ing: KObject): FieldError[] {
  const spec = section(ing, 'spec');
  const errs: FieldError[] = [];
  const rules = list(spec.rules);
  if (rules.length === 0 && !isPlainObject(spec.defaultBackend)) errs.push(fieldError.invalid('spec.rules', [], 'either `defaultBackend` or `rules` must be specified'));
  rules.forEach((r, i) => {
    const paths = list(isPlainObject(r.http) ? r.http.paths : undefined);
    paths.forEach((p, j) => {
      const path = `${index(`${index('spec.rules', i)}.http.paths`, j)}`;
      if (p.pathType === undefined) errs.push(fieldError.required(`${path}.pathType`, 'pathType must be specified'));
      else if (!PATH_TYPES.includes(String(p.pathType))) errs.push(fieldError.notSupported(`${path}.pathType`, p.pathType, PATH_TYPES));
      if (!isPlainObject(p.backend)) errs.push(fieldError.required(`${path}.backend`));
    });
  });
  return errs;
}

const hostsCell = (ing: KObject) => {
  const hosts = list(section(ing, 'spec').rules).map((r) => (typeof r.host === 'string' && r.host ? r.host : '*'));
  return hosts.length ? hosts.join(',') : '*';
};

export const ingressDefinition: ResourceDefinition = defineResource({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'Ingress',
  plural: 'ingresses',
  singular: 'ingress',
  shortNames: ['ing'],
  namespaced: true,
  strategicMerge: true,
  description: 'Rules that route external HTTP traffic to Services. Stored and validated; no ingress controller acts on them.',
  schema: Type.Object(
    {
      spec: opt(
        Type.Object(
          {
            ingressClassName: opt(str('The IngressClass that implements this Ingress.')),
            defaultBackend: opt(openObject('Backend for requests no rule matches.')),
            tls: opt(listOf('TLS configuration.', openObject('Hosts and the Secret with their certificate.'), { listType: 'atomic' })),
            rules: opt(listOf('Host rules.', openObject('A host and its HTTP paths.'), { listType: 'atomic' })),
          },
          { description: 'Desired state of the Ingress.' },
        ),
      ),
      status: opt(openObject('Observed state (`loadBalancer.ingress`).')),
    },
    { description: 'An Ingress.' },
  ),
  subresources: { status: true },
  columns: [
    nameColumn,
    { name: 'Class', type: 'string', description: 'Ingress class.', value: (o) => String(section(o, 'spec').ingressClassName ?? '<none>') },
    { name: 'Hosts', type: 'string', description: 'Hosts of the rules.', value: hostsCell },
    { name: 'Address', type: 'string', description: 'Load balancer addresses.', value: () => '' },
    { name: 'Ports', type: 'string', description: 'Ports served.', value: (o) => (list(section(o, 'spec').tls).length ? '80, 443' : '80') },
    ageColumn,
  ],
  strategy: { validate: validateIngress, validateUpdate: (o, _old, ctx) => (ctx.subresource === 'status' ? [] : validateIngress(o)) },
});
