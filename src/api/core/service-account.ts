// ServiceAccount (core/v1): an identity for processes in pods. Tokens are
// issued through the token subresource (TokenRequest), not stored here.

import { Type } from '@sinclair/typebox';
import { defineResource, type ResourceDefinition } from '../definition.js';
import { bool, listOf, opt } from '../schemas/index.js';
import { LocalObjectReferenceSchema, ObjectReferenceSchema } from '../schemas/references.js';
import { ageColumn, nameColumn } from './columns.js';

export const serviceAccountDefinition: ResourceDefinition = defineResource({
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  singular: 'serviceaccount',
  shortNames: ['sa'],
  namespaced: true,
  description: 'An identity that pods run as; tokens for it come from the token subresource.',
  schema: Type.Object(
    {
      secrets: opt(
        listOf('Secrets pods running as this account may use (legacy token secrets).', ObjectReferenceSchema, {
          mapKeys: ['name'],
          patchStrategy: 'merge',
        }),
      ),
      imagePullSecrets: opt(
        listOf('Registry credentials added to every pod running as this account.', LocalObjectReferenceSchema, { listType: 'atomic' }),
      ),
      automountServiceAccountToken: opt(bool('Whether pods running as this account get a token mounted unless they say otherwise.')),
    },
    { description: 'A service account.' },
  ),
  extraSubresources: ['token'],
  strategicMerge: true,
  returnDeletedObject: true,
  columns: [
    nameColumn,
    {
      name: 'Secrets',
      type: 'integer',
      description: 'Number of secrets listed in the account.',
      value: (o) => (Array.isArray(o.secrets) ? o.secrets.length : 0),
    },
    ageColumn,
  ],
});
