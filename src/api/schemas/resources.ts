// Quantities (`500m`, `1Gi`, `2`) and the requests/limits maps built from them.

import { Type } from '@sinclair/typebox';
import { mapOf, opt } from './builders.js';

/** kube's quantity grammar, as its OpenAPI publishes it. */
export const QUANTITY_PATTERN =
  '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';

export const QuantitySchema = Type.Unsafe<number | string>({
  description: 'A fixed-point amount such as `250m` (CPU) or `128Mi` (memory); plain numbers are accepted.',
  'x-kubernetes-int-or-string': true,
  anyOf: [{ type: 'integer' }, { type: 'string' }],
  pattern: QUANTITY_PATTERN,
});

export const resourceList = (description: string) => mapOf(description, QuantitySchema);

export const ResourceRequirementsSchema = Type.Object(
  {
    limits: opt(resourceList('Most of each resource the container may use (`cpu`, `memory`, ...).')),
    requests: opt(
      resourceList('Amount of each resource the scheduler reserves; defaults to the limit when only a limit is given.'),
    ),
    claims: opt(
      Type.Array(Type.Object({ name: Type.String({ description: 'Name of a pod resource claim.' }) }), {
        description: 'Dynamic resource claims this container uses.',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
      }),
    ),
  },
  { description: 'Compute resources the container requests and is limited to.' },
);
