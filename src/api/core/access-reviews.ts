// SelfSubjectAccessReview and SelfSubjectRulesReview (authorization.k8s.io/v1):
// create-only questions about the caller's own permissions (`kubectl auth
// can-i`). Never stored; the server fills status from its authorizer.

import { Type } from '@sinclair/typebox';
import { defineResource, type ResourceDefinition } from '../definition.js';
import { fieldError, type FieldError } from '../errors.js';
import { isPlainObject, type KObject } from '../object.js';
import { bool, listOf, opt, str, stringList } from '../schemas/index.js';
import { LabelSelectorRequirementSchema } from '../schemas/references.js';
import { section } from './columns.js';

const ResourceAttributesSchema = Type.Object(
  {
    namespace: opt(str('Namespace of the action; empty for cluster-scoped resources or all namespaces.')),
    verb: opt(str('Verb (`get`, `list`, `create`, ... or `*`).')),
    group: opt(str('API group of the resource; `*` for all.')),
    version: opt(str('API version of the resource; `*` for all.')),
    resource: opt(str('Resource (plural name); `*` for all.')),
    subresource: opt(str('Subresource, if any.')),
    name: opt(str('Name of the object; empty for all.')),
    fieldSelector: opt(
      Type.Object(
        {
          rawSelector: opt(str('Field selector in its string form.')),
          requirements: opt(listOf('Parsed requirements.', Type.Object({}, { description: 'A field requirement.', 'x-kubernetes-preserve-unknown-fields': true }), { listType: 'atomic' })),
        },
        { description: 'Field selector the request is limited by.' },
      ),
    ),
    labelSelector: opt(
      Type.Object(
        {
          rawSelector: opt(str('Label selector in its string form.')),
          requirements: opt(listOf('Parsed requirements.', LabelSelectorRequirementSchema, { listType: 'atomic' })),
        },
        { description: 'Label selector the request is limited by.' },
      ),
    ),
  },
  { description: 'A request on a resource.' },
);

const NonResourceAttributesSchema = Type.Object(
  { path: opt(str('URL path (e.g. `/healthz`).')), verb: opt(str('HTTP verb in lower case.')) },
  { description: 'A request on a non-resource URL.' },
);

const AccessStatusSchema = Type.Object(
  {
    allowed: bool('Whether the action is allowed.'),
    denied: opt(bool('Whether the action is explicitly denied.')),
    reason: opt(str('Why the decision was made.')),
    evaluationError: opt(str('Error met while deciding, if any.')),
  },
  { description: 'The decision.' },
);

export function validateSelfSubjectAccessReview(o: KObject): FieldError[] {
  const spec = section(o, 'spec');
  const hasRes = isPlainObject(spec.resourceAttributes);
  const hasNonRes = isPlainObject(spec.nonResourceAttributes);
  if (hasRes && hasNonRes) {
    return [fieldError.invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes')];
  }
  if (!hasRes && !hasNonRes) {
    return [fieldError.invalid('spec.resourceAttributes', null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified')];
  }
  return [];
}

export const selfSubjectAccessReviewDefinition: ResourceDefinition = defineResource({
  group: 'authorization.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectAccessReview',
  plural: 'selfsubjectaccessreviews',
  singular: 'selfsubjectaccessreview',
  namespaced: false,
  virtual: true,
  description: 'Asks whether the caller may perform an action.',
  schema: Type.Object(
    {
      spec: opt(
        Type.Object(
          { resourceAttributes: opt(ResourceAttributesSchema), nonResourceAttributes: opt(NonResourceAttributesSchema) },
          { description: 'The action to check; exactly one of the two is set.' },
        ),
      ),
      status: opt(AccessStatusSchema),
    },
    { description: 'A self subject access review.' },
  ),
  strategy: { validate: validateSelfSubjectAccessReview },
});

const ResourceRuleSchema = Type.Object(
  {
    verbs: stringList('Allowed verbs.'),
    apiGroups: opt(stringList('API groups the rule covers.')),
    resources: opt(stringList('Resources the rule covers.')),
    resourceNames: opt(stringList('Object names the rule is limited to.')),
  },
  { description: 'Actions allowed on resources.' },
);

const NonResourceRuleSchema = Type.Object(
  { verbs: stringList('Allowed verbs.'), nonResourceURLs: opt(stringList('URL paths the rule covers; `*` suffix is a prefix match.')) },
  { description: 'Actions allowed on non-resource URLs.' },
);

export const selfSubjectRulesReviewDefinition: ResourceDefinition = defineResource({
  group: 'authorization.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectRulesReview',
  plural: 'selfsubjectrulesreviews',
  singular: 'selfsubjectrulesreview',
  namespaced: false,
  virtual: true,
  description: 'Lists the actions the caller may perform in a namespace.',
  schema: Type.Object(
    {
      spec: opt(Type.Object({ namespace: opt(str('Namespace to evaluate rules for.')) }, { description: 'What to list rules for.' })),
      status: opt(
        Type.Object(
          {
            resourceRules: listOf('Allowed actions on resources.', ResourceRuleSchema, { listType: 'atomic' }),
            nonResourceRules: listOf('Allowed actions on non-resource URLs.', NonResourceRuleSchema, { listType: 'atomic' }),
            incomplete: bool('True when the list may miss rules (an authorizer cannot enumerate).'),
            evaluationError: opt(str('Error met while listing, if any.')),
          },
          { description: 'The rules.' },
        ),
      ),
    },
    { description: 'A self subject rules review.' },
  ),
});

const SubjectAccessSpecSchema = Type.Object(
  {
    resourceAttributes: opt(ResourceAttributesSchema),
    nonResourceAttributes: opt(NonResourceAttributesSchema),
    user: opt(str('The user to check for.')),
    groups: opt(stringList('The groups to check for.')),
    extra: opt(Type.Object({}, { description: 'Extra facts of the user, as an authenticator would give them.', additionalProperties: stringList('Values of one fact.') })),
    uid: opt(str('The user\'s uid.')),
  },
  { description: 'The action and the user to check; exactly one of resourceAttributes or nonResourceAttributes.' },
);

/** kube's ValidateSubjectAccessReviewSpec: one kind of attributes, and a user or a group. */
export function validateSubjectAccessReview(o: KObject): FieldError[] {
  const errs = validateSelfSubjectAccessReview(o);
  const spec = section(o, 'spec');
  const groups = Array.isArray(spec.groups) ? spec.groups : [];
  if (!spec.user && groups.length === 0) errs.push(fieldError.invalid('spec.user', spec.user ?? '', 'at least one of user or group must be specified'));
  return errs;
}

/** A LocalSubjectAccessReview asks about its own namespace only. */
export function validateLocalSubjectAccessReview(o: KObject): FieldError[] {
  const errs = validateSubjectAccessReview(o);
  const spec = section(o, 'spec');
  if (isPlainObject(spec.nonResourceAttributes)) errs.push(fieldError.invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'disallowed on this kind of request'));
  const ra = isPlainObject(spec.resourceAttributes) ? spec.resourceAttributes : {};
  if (ra.namespace && ra.namespace !== o.metadata.namespace) errs.push(fieldError.invalid('spec.resourceAttributes.namespace', ra.namespace, 'must match metadata.namespace'));
  return errs;
}

const subjectAccessReview = (kind: string, plural: string, namespaced: boolean, description: string, validate: (o: KObject) => FieldError[]) =>
  defineResource({
    group: 'authorization.k8s.io',
    version: 'v1',
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    virtual: true,
    description,
    schema: Type.Object({ spec: opt(SubjectAccessSpecSchema), status: opt(AccessStatusSchema) }, { description: `A ${kind}.` }),
    strategy: { validate },
  });

export const subjectAccessReviewDefinition: ResourceDefinition = subjectAccessReview(
  'SubjectAccessReview',
  'subjectaccessreviews',
  false,
  'Asks whether a given user may perform an action.',
  validateSubjectAccessReview,
);

export const localSubjectAccessReviewDefinition: ResourceDefinition = subjectAccessReview(
  'LocalSubjectAccessReview',
  'localsubjectaccessreviews',
  true,
  'Asks whether a given user may perform an action in this namespace.',
  validateLocalSubjectAccessReview,
);
