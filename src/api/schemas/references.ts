// Object references and label selectors: how one object points at others.

import { Type } from '@sinclair/typebox';
import { listOf, opt, str, stringList, stringMap } from './builders.js';

export const ObjectReferenceSchema = Type.Object(
  {
    kind: opt(str('Kind of the referent.')),
    namespace: opt(str('Namespace of the referent.')),
    name: opt(str('Name of the referent.')),
    uid: opt(str('UID of the referent.')),
    apiVersion: opt(str('API version of the referent.')),
    resourceVersion: opt(str('Version of the referent the reference was made against.')),
    fieldPath: opt(str('Part of the referent this is about, e.g. `spec.containers{web}`.')),
  },
  { description: 'A reference to another object.', 'x-kubernetes-map-type': 'atomic' },
);

export const LocalObjectReferenceSchema = Type.Object(
  { name: opt(str('Name of the referent in the same namespace.')) },
  { description: 'A reference to an object in the same namespace.', 'x-kubernetes-map-type': 'atomic' },
);

export const LabelSelectorRequirementSchema = Type.Object(
  {
    key: str('Label key the requirement applies to.'),
    operator: str('`In`, `NotIn`, `Exists` or `DoesNotExist`.'),
    values: opt(stringList('Values for `In`/`NotIn`; empty for `Exists`/`DoesNotExist`.')),
  },
  { description: 'One label requirement.', required: ['key', 'operator'] },
);

export const LabelSelectorSchema = Type.Object(
  {
    matchLabels: opt(stringMap('Labels that must all be present with these values.')),
    matchExpressions: opt(listOf('Requirements that must all hold.', LabelSelectorRequirementSchema, { listType: 'atomic' })),
  },
  {
    description: 'Selects objects by label; the two parts are ANDed and an empty selector matches everything.',
    'x-kubernetes-map-type': 'atomic',
  },
);
