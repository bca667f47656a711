// Deployment (apps/v1): a replicated pod template rolled out through
// ReplicaSets. Defaulting and validation follow kube's apps/v1 registry:
// RollingUpdate 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600,
// an immutable selector, and kube's messages for each rule.

import { Type } from '@sinclair/typebox';
import { defineResource, type OperationContext, type ResourceDefinition } from '../definition.js';
import { fieldError, type FieldError } from '../errors.js';
import { isPlainObject, type KObject } from '../object.js';
import { opt } from '../schemas/index.js';
import { ageColumn, nameColumn, section } from '../core/columns.js';
import { isNonNegative } from '../validation/field.js';
import { validateImmutableField } from '../validation/object-meta.js';
import { DeploymentSpecSchema, DeploymentStatusSchema } from './apps-schemas.js';
import { isZeroIntOrPercent, validateIntOrPercent, validateSelectorAndTemplate } from './pod-template-validation.js';
import { defaultReplicas, defaultTemplate, resetStatusOnCreate, replicasStatusErrors } from './replicated-defaults.js';
import { specCount, statusCount, wideTemplateColumns } from './template-columns.js';

type Obj = Record<string, unknown>;

function applyDefaults(d: KObject): void {
  if (!isPlainObject(d.spec)) d.spec = {};
  const spec = d.spec as Obj;
  defaultReplicas(spec);
  if (!isPlainObject(spec.strategy)) spec.strategy = {};
  const strategy = spec.strategy as Obj;
  if (strategy.type === undefined || strategy.type === null || strategy.type === '') strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    if (!isPlainObject(strategy.rollingUpdate)) strategy.rollingUpdate = {};
    const ru = strategy.rollingUpdate as Obj;
    if (ru.maxUnavailable === undefined || ru.maxUnavailable === null) ru.maxUnavailable = '25%';
    if (ru.maxSurge === undefined || ru.maxSurge === null) ru.maxSurge = '25%';
  }
  if (spec.revisionHistoryLimit === undefined || spec.revisionHistoryLimit === null) spec.revisionHistoryLimit = 10;
  if (spec.progressDeadlineSeconds === undefined || spec.progressDeadlineSeconds === null) spec.progressDeadlineSeconds = 600;
  defaultTemplate(spec);
}

function validateStrategy(spec: Obj): FieldError[] {
  const strategy = isPlainObject(spec.strategy) ? spec.strategy : {};
  const type = strategy.type;
  if (type !== 'RollingUpdate' && type !== 'Recreate') return [fieldError.notSupported('spec.strategy.type', type, ['Recreate', 'RollingUpdate'])];
  if (type === 'Recreate') {
    return strategy.rollingUpdate !== undefined && strategy.rollingUpdate !== null
      ? [fieldError.forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'")]
      : [];
  }
  const ru = isPlainObject(strategy.rollingUpdate) ? strategy.rollingUpdate : {};
  const errs = [...validateIntOrPercent(ru.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable'), ...validateIntOrPercent(ru.maxSurge, 'spec.strategy.rollingUpdate.maxSurge')];
  if (isZeroIntOrPercent(ru.maxUnavailable) && isZeroIntOrPercent(ru.maxSurge)) {
    errs.push(fieldError.invalid('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
  }
  return errs;
}

export function validateDeploymentSpec(spec: Obj): FieldError[] {
  const errs = [
    ...isNonNegative('spec.replicas', spec.replicas),
    ...validateSelectorAndTemplate(spec, { kind: 'deployment', restartPolicies: ['Always'] }),
    ...validateStrategy(spec),
    ...isNonNegative('spec.minReadySeconds', spec.minReadySeconds),
    ...isNonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit),
  ];
  const pds = spec.progressDeadlineSeconds;
  if (typeof pds === 'number') {
    errs.push(...isNonNegative('spec.progressDeadlineSeconds', pds));
    if (pds <= (typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0)) {
      errs.push(fieldError.invalid('spec.progressDeadlineSeconds', pds, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

function validateUpdate(d: KObject, old: KObject, ctx: OperationContext): FieldError[] {
  if (ctx.subresource === 'status') return replicasStatusErrors(d);
  return [...validateDeploymentSpec(section(d, 'spec')), ...validateImmutableField(section(d, 'spec').selector, section(old, 'spec').selector, 'spec.selector')];
}

export const deploymentDefinition: ResourceDefinition = defineResource({
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  singular: 'deployment',
  shortNames: ['deploy'],
  categories: ['all'],
  namespaced: true,
  strategicMerge: true,
  description: 'Declarative updates for Pods and ReplicaSets: a desired state the deployment controller rolls out at a controlled rate.',
  schema: Type.Object({ spec: opt(DeploymentSpecSchema), status: opt(DeploymentStatusSchema) }, { description: 'A Deployment.' }),
  subresources: {
    status: true,
    scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
  },
  columns: [
    nameColumn,
    { name: 'Ready', type: 'string', description: 'Ready pods out of the desired number.', value: (d) => `${statusCount(d, 'readyReplicas')}/${specCount(d, 'replicas', 1)}` },
    { name: 'Up-to-date', type: 'integer', description: 'Pods updated to the current template.', value: (d) => statusCount(d, 'updatedReplicas') },
    { name: 'Available', type: 'integer', description: 'Pods available to users.', value: (d) => statusCount(d, 'availableReplicas') },
    ageColumn,
    ...wideTemplateColumns(),
  ],
  strategy: {
    prepareForCreate: (d) => {
      applyDefaults(d);
      resetStatusOnCreate(d);
    },
    validate: (d) => validateDeploymentSpec(section(d, 'spec')),
    prepareForUpdate: (d) => applyDefaults(d),
    validateUpdate,
  },
});
