// StatefulSet, DaemonSet and ControllerRevision (apps/v1): served and
// validated so manifests, `kubectl apply --prune` (whose default allowlist
// names StatefulSets and DaemonSets) and tools that list them work. No
// controller runs them yet: their pods are not created.

import { Type } from '@sinclair/typebox';
import { defineResource, type OperationContext, type ResourceDefinition } from '../definition.js';
import { fieldError, type FieldError } from '../errors.js';
import { isPlainObject, type KObject } from '../object.js';
import { opt } from '../schemas/index.js';
import { ageColumn, nameColumn, section } from '../core/columns.js';
import { isNonNegative } from '../validation/field.js';
import { validateImmutableField } from '../validation/object-meta.js';
import { ControllerRevisionBody, DaemonSetSpecSchema, StatefulSetSpecSchema, openStatus } from './apps-schemas.js';
import { validateSelectorAndTemplate } from './pod-template-validation.js';
import { defaultReplicas, defaultTemplate, resetStatusOnCreate } from './replicated-defaults.js';
import { specCount, statusCount, wideTemplateColumns } from './template-columns.js';

type Obj = Record<string, unknown>;

function prepare(o: KObject, replicas: boolean): void {
  if (!isPlainObject(o.spec)) o.spec = {};
  if (replicas) defaultReplicas(o.spec as Obj);
  defaultTemplate(o.spec as Obj);
}

const validateStatefulSet = (spec: Obj): FieldError[] => [
  ...isNonNegative('spec.replicas', spec.replicas),
  ...validateSelectorAndTemplate(spec, { kind: 'statefulset', restartPolicies: ['Always'] }),
];
const validateDaemonSet = (spec: Obj): FieldError[] => validateSelectorAndTemplate(spec, { kind: 'daemonset', restartPolicies: ['Always'] });

function withImmutableSelector(check: (spec: Obj) => FieldError[]) {
  return (o: KObject, old: KObject, ctx: OperationContext): FieldError[] =>
    ctx.subresource === 'status' ? [] : [...check(section(o, 'spec')), ...validateImmutableField(section(o, 'spec').selector, section(old, 'spec').selector, 'spec.selector')];
}

export const statefulSetDefinition: ResourceDefinition = defineResource({
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  plural: 'statefulsets',
  singular: 'statefulset',
  shortNames: ['sts'],
  categories: ['all'],
  namespaced: true,
  strategicMerge: true,
  description: 'Pods with stable identities and storage. Stored and validated; no controller runs them yet.',
  schema: Type.Object({ spec: opt(StatefulSetSpecSchema), status: opt(openStatus('StatefulSet')) }, { description: 'A StatefulSet.' }),
  subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
  columns: [
    nameColumn,
    { name: 'Ready', type: 'string', description: 'Ready pods out of the desired number.', value: (o) => `${statusCount(o, 'readyReplicas')}/${specCount(o, 'replicas', 1)}` },
    ageColumn,
    ...wideTemplateColumns().slice(0, 2),
  ],
  strategy: {
    prepareForCreate: (o) => {
      prepare(o, true);
      resetStatusOnCreate(o);
    },
    validate: (o) => validateStatefulSet(section(o, 'spec')),
    prepareForUpdate: (o) => prepare(o, true),
    validateUpdate: withImmutableSelector(validateStatefulSet),
  },
});

export const daemonSetDefinition: ResourceDefinition = defineResource({
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  plural: 'daemonsets',
  singular: 'daemonset',
  shortNames: ['ds'],
  categories: ['all'],
  namespaced: true,
  strategicMerge: true,
  description: 'A pod on every eligible node. Stored and validated; no controller runs them yet.',
  schema: Type.Object({ spec: opt(DaemonSetSpecSchema), status: opt(openStatus('DaemonSet')) }, { description: 'A DaemonSet.' }),
  subresources: { status: true },
  columns: [
    nameColumn,
    { name: 'Desired', type: 'integer', description: 'Nodes that should run the pod.', value: (o) => statusCount(o, 'desiredNumberScheduled') },
    { name: 'Current', type: 'integer', description: 'Nodes running the pod.', value: (o) => statusCount(o, 'currentNumberScheduled') },
    { name: 'Ready', type: 'integer', description: 'Nodes whose pod is ready.', value: (o) => statusCount(o, 'numberReady') },
    { name: 'Up-to-date', type: 'integer', description: 'Nodes running the current template.', value: (o) => statusCount(o, 'updatedNumberScheduled') },
    { name: 'Available', type: 'integer', description: 'Nodes whose pod is available.', value: (o) => statusCount(o, 'numberAvailable') },
    { name: 'Node Selector', type: 'string', description: 'Node selector of the template.', value: (o) => nodeSelectorCell(o) },
    ageColumn,
    ...wideTemplateColumns(),
  ],
  strategy: {
    prepareForCreate: (o) => {
      prepare(o, false);
      resetStatusOnCreate(o);
    },
    validate: (o) => validateDaemonSet(section(o, 'spec')),
    prepareForUpdate: (o) => prepare(o, false),
    validateUpdate: withImmutableSelector(validateDaemonSet),
  },
});

function nodeSelectorCell(o: KObject): string {
  const tpl = section(o, 'spec').template;
  const ns = isPlainObject(tpl) && isPlainObject(tpl.spec) ? tpl.spec.nodeSelector : undefined;
  if (!isPlainObject(ns) || Object.keys(ns).length === 0) return '<none>';
  return Object.entries(ns).map(([k, v]) => `${k}=${String(v)}`).join(',');
}

export const controllerRevisionDefinition: ResourceDefinition = defineResource({
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  plural: 'controllerrevisions',
  singular: 'controllerrevision',
  namespaced: true,
  description: 'An immutable snapshot of state data, for StatefulSet and DaemonSet roll-backs.',
  schema: Type.Object(ControllerRevisionBody, { description: 'A ControllerRevision.' }),
  columns: [
    nameColumn,
    { name: 'Controller', type: 'string', description: 'The controlling object.', value: (o) => controllerCell(o) },
    { name: 'Revision', type: 'integer', description: 'Revision number.', jsonPath: '.revision' },
    ageColumn,
  ],
  strategy: {
    validate: (o) => (typeof o.revision === 'number' && o.revision >= 0 ? [] : [fieldError.invalid('revision', o.revision ?? null, 'must be greater than or equal to 0')]),
    validateUpdate: (o, old) => validateImmutableField(o.data, old.data, 'data'),
  },
});

function controllerCell(o: KObject): string {
  const ref = o.metadata.ownerReferences?.find((r) => r.controller);
  if (!ref) return '<none>';
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
  return `${ref.kind.toLowerCase()}${group ? `.${group}` : ''}/${ref.name}`;
}
