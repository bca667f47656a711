// Secret (core/v1): small sensitive data, base64 in `data`. `stringData` is a
// write-only convenience merged into `data` on every write and never stored.

import { Type } from '@sinclair/typebox';
import { defineResource, type ResourceDefinition } from '../definition.js';
import { fieldError, type FieldError } from '../errors.js';
import { isPlainObject, type KObject } from '../object.js';
import { bool, mapOf, opt, str, stringMap } from '../schemas/index.js';
import { key, tooLong } from '../validation/field.js';
import { validateImmutableField } from '../validation/object-meta.js';
import { ageColumn, keyCount, nameColumn } from './columns.js';
import { MAX_DATA_SIZE, validateDataMap, validateImmutableData } from './data-validation.js';

/** Keys each well-known type must carry. */
const REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

/** Moves stringData into data (stringData wins) and drops it; defaults the type. */
export function mergeStringData(secret: KObject): void {
  if (isPlainObject(secret.stringData)) {
    const data = isPlainObject(secret.data) ? secret.data : {};
    for (const [k, v] of Object.entries(secret.stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
    secret.data = data;
  }
  delete secret.stringData;
  if (!secret.type) secret.type = 'Opaque';
}

export function validateSecret(secret: KObject): FieldError[] {
  const { errs, size } = validateDataMap(secret.data, 'data', true);
  if (size > MAX_DATA_SIZE) errs.push(tooLong('data', MAX_DATA_SIZE));
  const data = isPlainObject(secret.data) ? secret.data : {};
  const type = typeof secret.type === 'string' ? secret.type : '';
  if (type === 'kubernetes.io/service-account-token') {
    if (!secret.metadata.annotations?.['kubernetes.io/service-account.name']) {
      errs.push(fieldError.required(key('metadata.annotations', 'kubernetes.io/service-account.name')));
    }
  } else if (type === 'kubernetes.io/basic-auth') {
    if (!('username' in data) && !('password' in data)) {
      errs.push(fieldError.required(key('data', 'username')), fieldError.required(key('data', 'password')));
    }
  } else {
    for (const k of REQUIRED_KEYS[type] ?? []) if (!(k in data)) errs.push(fieldError.required(key('data', k)));
  }
  return errs;
}

export const secretDefinition: ResourceDefinition = defineResource({
  group: '',
  version: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  singular: 'secret',
  namespaced: true,
  description: 'Sensitive data (passwords, tokens, keys) for pods to consume.',
  schema: Type.Object(
    {
      data: opt(mapOf('Keys to base64-encoded values.', Type.String({ format: 'byte' }))),
      stringData: opt(stringMap('Write-only plain-text values merged into data on write; never returned.')),
      type: opt(str('Kind of secret (`Opaque`, `kubernetes.io/tls`, ...); used for validation. Cannot be updated.')),
      immutable: opt(bool('True forbids any later change to data (the object can still be deleted).')),
    },
    { description: 'A secret.' },
  ),
  strategicMerge: true,
  columns: [
    nameColumn,
    { name: 'Type', type: 'string', description: 'Type of the secret.', jsonPath: '.type' },
    { name: 'Data', type: 'integer', description: 'Number of keys in the secret.', value: (o) => keyCount(o.data) },
    ageColumn,
  ],
  selectableFields: { type: (o) => (typeof o.type === 'string' ? o.type : '') },
  strategy: {
    prepareForCreate: mergeStringData,
    validate: validateSecret,
    prepareForUpdate: (o) => mergeStringData(o),
    validateUpdate: (o, old) => [
      ...validateImmutableField(o.type, old.type, 'type'),
      ...validateImmutableData(o, old, ['data']),
      ...validateSecret(o),
    ],
  },
});
