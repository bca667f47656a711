// ReplicaSet (apps/v1): keeps `replicas` pods of a template running. Usually
// owned by a Deployment, which creates one per template revision.

import { Type } from '@sinclair/typebox';
import { defineResource, type OperationContext, type ResourceDefinition } from '../definition.js';
import type { FieldError } from '../errors.js';
import { isPlainObject, type KObject } from '../object.js';
import { opt } from '../schemas/index.js';
import { ageColumn, nameColumn, section } from '../core/columns.js';
import { isNonNegative } from '../validation/field.js';
import { validateImmutableField } from '../validation/object-meta.js';
import { ReplicaSetSpecSchema, ReplicaSetStatusSchema } from './apps-schemas.js';
import { validateSelectorAndTemplate } from './pod-template-validation.js';
import { defaultReplicas, defaultTemplate, replicasStatusErrors, resetStatusOnCreate } from './replicated-defaults.js';
import { specCount, statusCount, wideTemplateColumns } from './template-columns.js';

type Obj = Record<string, unknown>;

function applyDefaults(rs: KObject): void {
  if (!isPlainObject(rs.spec)) rs.spec = {};
  defaultReplicas(rs.spec as Obj);
  defaultTemplate(rs.spec as Obj);
}

export function validateReplicaSetSpec(spec: Obj): FieldError[] {
  return [
    ...isNonNegative('spec.replicas', spec.replicas),
    ...isNonNegative('spec.minReadySeconds', spec.minReadySeconds),
    ...validateSelectorAndTemplate(spec, { kind: 'replicaset', restartPolicies: ['Always'] }),
  ];
}

function validateUpdate(rs: KObject, old: KObject, ctx: OperationContext): FieldError[] {
  if (ctx.subresource === 'status') return replicasStatusErrors(rs);
  return [...validateReplicaSetSpec(section(rs, 'spec')), ...validateImmutableField(section(rs, 'spec').selector, section(old, 'spec').selector, 'spec.selector')];
}

export const replicaSetDefinition: ResourceDefinition = defineResource({
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  plural: 'replicasets',
  singular: 'replicaset',
  shortNames: ['rs'],
  categories: ['all'],
  namespaced: true,
  strategicMerge: true,
  description: 'Ensures that a specified number of pod replicas are running at any given time.',
  schema: Type.Object({ spec: opt(ReplicaSetSpecSchema), status: opt(ReplicaSetStatusSchema) }, { description: 'A ReplicaSet.' }),
  subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
  columns: [
    nameColumn,
    { name: 'Desired', type: 'integer', description: 'Desired number of pods.', value: (rs) => specCount(rs, 'replicas', 1) },
    { name: 'Current', type: 'integer', description: 'Pods that exist.', value: (rs) => statusCount(rs, 'replicas') },
    { name: 'Ready', type: 'integer', description: 'Pods that are ready.', value: (rs) => statusCount(rs, 'readyReplicas') },
    ageColumn,
    ...wideTemplateColumns(),
  ],
  strategy: {
    prepareForCreate: (rs) => {
      applyDefaults(rs);
      resetStatusOnCreate(rs);
    },
    validate: (rs) => validateReplicaSetSpec(section(rs, 'spec')),
    prepareForUpdate: (rs) => applyDefaults(rs),
    validateUpdate,
  },
});
