// The schema of CustomResourceDefinition (apiextensions.k8s.io/v1) as users
// write it. openAPIV3Schema is kept as sent here (any JSON schema shape) and
// checked field by field in structural-schema.ts, where kube's messages live.

import { Type } from '@sinclair/typebox';
import { bool, conditionsList, listOf, opt, str, stringList, strEnum, int32, openObject } from '../schemas/index.js';

const NamesSchema = Type.Object(
  {
    plural: str('Plural name of the resource to serve, lower case: `/apis/<group>/<version>/<plural>`. Must match the CRD name (`<plural>.<group>`).'),
    singular: opt(str('Singular name of the resource, lower case. Defaults to the lower-cased kind.')),
    shortNames: opt(stringList('Short names for the resource, as `kubectl get <shortname>` accepts them.')),
    kind: str('Serialized kind of the resource, in CamelCase; used in manifests.'),
    listKind: opt(str('Serialized kind of a list of the resource. Defaults to `<kind>List`.')),
    categories: opt(stringList('Groups of resources this one belongs to, e.g. `all` (`kubectl get all`).')),
  },
  { description: 'Names under which the custom resource is served.' },
);

const ColumnSchema = Type.Object(
  {
    name: str('Human-readable name of the column.'),
    type: str('OpenAPI type of the column: `integer`, `number`, `string`, `boolean` or `date`.'),
    format: opt(str('Optional OpenAPI format of the column; `name` marks the primary identifier.')),
    description: opt(str('Human-readable description of the column.')),
    priority: opt(int32('0 for columns always shown, more for columns shown only with `-o wide`.')),
    jsonPath: str('Simple JSONPath (without braces) evaluated against each object to produce the cell.'),
  },
  { description: 'A column shown by `kubectl get`.' },
);

const ScaleSchema = Type.Object(
  {
    specReplicasPath: str('JSON path (`.spec.replicas`) of the desired replica count, under `.spec`.'),
    statusReplicasPath: str('JSON path (`.status.replicas`) of the observed replica count, under `.status`.'),
    labelSelectorPath: opt(str('JSON path (`.status.selector`) of the label selector in string form, under `.spec` or `.status`.')),
  },
  { description: 'Serves `/scale`: an autoscaling/v1 Scale view of the replicas.' },
);

const ValidationSchema = Type.Object(
  {
    openAPIV3Schema: opt(
      openObject('OpenAPI v3 schema of the custom resource: validation, pruning of unknown fields and defaulting. Must be structural.'),
    ),
  },
  { description: 'Schema of this version.' },
);

const VersionSchema = Type.Object(
  {
    name: str('Version name, e.g. `v1`, `v2beta1`; served under `/apis/<group>/<version>/...`.'),
    served: bool('Whether this version is served through the REST API.'),
    storage: bool('Whether objects are persisted in this version; exactly one version has storage true.'),
    deprecated: opt(bool('Requests to this version get a warning header.')),
    deprecationWarning: opt(str('Overrides the default deprecation warning.')),
    schema: opt(ValidationSchema),
    subresources: opt(
      Type.Object(
        {
          status: opt(openObject('Serves `/status`: status is written only there and spec writes keep it.')),
          scale: opt(ScaleSchema),
        },
        { description: 'Subresources of this version.' },
      ),
    ),
    additionalPrinterColumns: opt(listOf('Columns of `kubectl get`; without any, the age is shown.', ColumnSchema, { listType: 'atomic' })),
    selectableFields: opt(
      listOf(
        'Fields usable in field selectors besides metadata.name and metadata.namespace.',
        Type.Object({ jsonPath: str('JSON path of a string, integer or boolean field, e.g. `.spec.color`.') }, { description: 'A selectable field.' }),
        { listType: 'atomic' },
      ),
    ),
  },
  { description: 'One version of the custom resource.' },
);

export const CrdSpecSchema = Type.Object(
  {
    group: str('API group of the custom resource: `/apis/<group>/...`. Must match the CRD name.'),
    names: NamesSchema,
    scope: strEnum('`Cluster` or `Namespaced`.', ['Cluster', 'Namespaced']),
    versions: listOf('Versions of the custom resource; exactly one is the storage version.', VersionSchema, { listType: 'atomic' }),
    conversion: opt(
      Type.Object(
        {
          strategy: str('`None`: objects of every version share one schema shape and only apiVersion changes.'),
          webhook: opt(openObject('Webhook conversion settings (not supported by Workplane).')),
        },
        { description: 'How objects are converted between versions.' },
      ),
    ),
    preserveUnknownFields: opt(bool('Must be false: unknown fields are pruned as the schema says.')),
  },
  { description: 'How the custom resource is served.' },
);

const AcceptedNamesSchema = Type.Object(
  {
    plural: opt(str('Accepted plural name.')),
    singular: opt(str('Accepted singular name.')),
    shortNames: opt(stringList('Accepted short names.')),
    kind: opt(str('Accepted kind.')),
    listKind: opt(str('Accepted list kind.')),
    categories: opt(stringList('Accepted categories.')),
  },
  { description: 'The names actually served; they may lag behind spec.names while names conflict.' },
);

export const CrdStatusSchema = Type.Object(
  {
    conditions: opt(conditionsList('NamesAccepted, Established and Terminating.')),
    acceptedNames: opt(AcceptedNamesSchema),
    storedVersions: opt(stringList('Versions objects have ever been stored in.')),
  },
  { description: 'Observed state of the CustomResourceDefinition.' },
);
