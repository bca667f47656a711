// ConfigMap (core/v1): non-secret configuration, as text (`data`) or base64
// bytes (`binaryData`), with no key in both.

import { Type } from '@sinclair/typebox';
import { defineResource, type ResourceDefinition } from '../definition.js';
import { fieldError, type FieldError } from '../errors.js';
import { isPlainObject, type KObject } from '../object.js';
import { bool, mapOf, opt, stringMap } from '../schemas/index.js';
import { key, tooLong } from '../validation/field.js';
import { ageColumn, keyCount, nameColumn } from './columns.js';
import { MAX_DATA_SIZE, validateDataMap, validateImmutableData } from './data-validation.js';

export function validateConfigMap(cm: KObject): FieldError[] {
  const data = validateDataMap(cm.data, 'data', false);
  const binary = validateDataMap(cm.binaryData, 'binaryData', true);
  const errs = [...data.errs];
  if (isPlainObject(cm.data) && isPlainObject(cm.binaryData)) {
    for (const k of Object.keys(cm.data)) {
      if (k in cm.binaryData) errs.push(fieldError.invalid(key('data', k), k, 'duplicate of key present in binaryData'));
    }
  }
  errs.push(...binary.errs);
  if (data.size + binary.size > MAX_DATA_SIZE) errs.push(tooLong('', MAX_DATA_SIZE));
  return errs;
}

export const configMapDefinition: ResourceDefinition = defineResource({
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  singular: 'configmap',
  shortNames: ['cm'],
  namespaced: true,
  description: 'Configuration data for pods to consume as files or environment variables.',
  schema: Type.Object(
    {
      data: opt(stringMap('Keys to UTF-8 text values.')),
      binaryData: opt(mapOf('Keys to base64-encoded binary values; keys may not repeat those of data.', Type.String({ format: 'byte' }))),
      immutable: opt(bool('True forbids any later change to data and binaryData.')),
    },
    { description: 'A config map.' },
  ),
  strategicMerge: true,
  columns: [
    nameColumn,
    { name: 'Data', type: 'integer', description: 'Number of keys in data and binaryData.', value: (o) => keyCount(o.data) + keyCount(o.binaryData) },
    ageColumn,
  ],
  strategy: {
    validate: validateConfigMap,
    validateUpdate: (o, old) => [...validateImmutableData(o, old, ['data', 'binaryData']), ...validateConfigMap(o)],
  },
});
