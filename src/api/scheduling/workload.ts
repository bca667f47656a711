// Workload (scheduling.k8s.io/v1alpha1): how a multi-pod application wants to
// be scheduled: named pod groups, each placed one by one (`basic`) or as an
// all-or-nothing gang of at least `minCount` pods. Pods join a group through
// `spec.workloadRef`. The object is spec-only; there is no status.

import { Type } from '@sinclair/typebox';
import { defineResource, type ResourceDefinition } from '../definition.js';
import { isPlainObject, type KObject } from '../object.js';
import { int32, listOf, opt, str } from '../schemas/index.js';
import { ageColumn, nameColumn, section } from '../core/columns.js';
import { validateSchedulingWorkload, validateSchedulingWorkloadUpdate } from './workload-validation.js';

// Presence and counts are checked in workload-validation.ts, not through
// `required`/`minItems`, so a problem is reported once and in kube's words.
const ControllerRefSchema = Type.Object(
  {
    apiGroup: opt(str('API group of the controlling object; empty for the core group.')),
    kind: opt(str('Kind of the controlling object, e.g. `Job`. Required.')),
    name: opt(str('Name of the controlling object in the same namespace. Required.')),
  },
  { description: 'The object (a Job, a custom workload...) this Workload describes; informational only, never used to schedule.' },
);

const PolicySchema = Type.Object(
  {
    basic: opt(Type.Object({}, { description: 'Schedule the pods of the group one by one, as the default scheduler does.' })),
    gang: opt(
      Type.Object(
        { minCount: opt(int32('Pods that must be placed together before any of them binds; must be greater than 0.')) },
        { description: 'Schedule the group all-or-nothing: at least minCount pods at once, or none.' },
      ),
    ),
  },
  { description: 'How the group is scheduled: exactly one of `basic` or `gang`.' },
);

const PodGroupSchema = Type.Object(
  {
    name: opt(str('Name of the group, a DNS-1123 label unique in the Workload; pods name it in spec.workloadRef.podGroup.')),
    policy: opt(PolicySchema),
  },
  { description: 'A set of pods scheduled under one policy.' },
);

export const SchedulingWorkloadSpecSchema = Type.Object(
  {
    controllerRef: opt(ControllerRefSchema),
    podGroups: opt(
      listOf('The pod groups of the workload: 1 to 8, names unique. Cannot be changed after creation.', PodGroupSchema, {
        mapKeys: ['name'],
      }),
    ),
  },
  { description: 'Desired scheduling structure of the workload.' },
);

/** Names of the pod groups, for the POD GROUPS column. */
export function podGroupNames(w: KObject): string {
  const groups = section(w, 'spec').podGroups;
  if (!Array.isArray(groups)) return '';
  return groups.map((g) => (isPlainObject(g) && typeof g.name === 'string' ? g.name : '')).join(',');
}

export const schedulingWorkloadDefinition: ResourceDefinition = defineResource({
  group: 'scheduling.k8s.io',
  version: 'v1alpha1',
  kind: 'Workload',
  plural: 'workloads',
  singular: 'workload',
  shortNames: ['swl'],
  namespaced: true,
  // A built-in kind in Kubernetes (1.35 alpha), so strategic merge patch applies as for every built-in kind.
  strategicMerge: true,
  description: 'The scheduling requirements of a multi-pod application: its pod groups and their policies (basic or gang).',
  schema: Type.Object({ spec: opt(SchedulingWorkloadSpecSchema) }, { description: 'A scheduling workload.' }),
  columns: [
    nameColumn,
    { name: 'Pod Groups', type: 'string', description: 'Names of the pod groups.', value: podGroupNames, jsonPath: '.spec.podGroups[*].name' },
    ageColumn,
  ],
  strategy: {
    validate: validateSchedulingWorkload,
    validateUpdate: (w, old) => validateSchedulingWorkloadUpdate(w, old),
  },
});
