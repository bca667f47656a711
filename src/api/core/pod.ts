// Pod (core/v1): the unit the scheduler places and node agents run. Status is
// written only through /status; the spec is mostly immutable once created;
// deleting a bound, running pod is graceful.

import { Type } from '@sinclair/typebox';
import { defineResource, type OperationContext, type ResourceDefinition } from '../definition.js';
import type { FieldError } from '../errors.js';
import { isPlainObject, type KObject } from '../object.js';
import { PodSpecSchema, PodStatusSchema } from '../schemas/index.js';
import { invalidEach } from '../validation/field.js';
import { isDNS1123Subdomain } from '../validation/names.js';
import { validatePodSpec } from '../validation/pod-spec.js';
import { ageColumn, nameColumn, section } from './columns.js';
import { defaultPodSpec } from './pod-defaults.js';
import { computeQosClass } from './pod-qos.js';
import {
  podIPCell,
  podNodeCell,
  podNominatedNodeCell,
  podReadinessGatesCell,
  podReadyCell,
  podRestartsCell,
  podStatusCell,
} from './pod-table.js';
import { validatePodSpecUpdate } from './pod-update.js';

const str = (v: unknown) => (typeof v === 'string' ? v : '');

function prepareForCreate(pod: KObject): void {
  if (!isPlainObject(pod.spec)) pod.spec = {};
  defaultPodSpec(pod.spec, { pod: true });
  const spec = section(pod, 'spec');
  const status: Record<string, unknown> = { phase: 'Pending', qosClass: computeQosClass(spec) };
  if (Array.isArray(spec.schedulingGates) && spec.schedulingGates.length > 0) {
    status.conditions = [
      { type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' },
    ];
  }
  pod.status = status;
}

function prepareForUpdate(pod: KObject, old: KObject, ctx: OperationContext): void {
  if (ctx.subresource === 'status') {
    pod.spec = old.spec;
    // Agents need not repeat the QoS class: it is fixed at creation.
    const status = section(pod, 'status');
    const oldQos = section(old, 'status').qosClass;
    if (isPlainObject(pod.status) && status.qosClass === undefined && oldQos !== undefined) status.qosClass = oldQos;
    return;
  }
  if (ctx.subresource !== 'binding') {
    if (old.status === undefined) delete pod.status;
    else pod.status = old.status;
  }
  if (!isPlainObject(pod.spec)) pod.spec = {};
  defaultPodSpec(pod.spec, { pod: true });
}

function validateStatus(pod: KObject): FieldError[] {
  const nominated = str(section(pod, 'status').nominatedNodeName);
  return nominated ? invalidEach('status.nominatedNodeName', nominated, isDNS1123Subdomain(nominated)) : [];
}

function validateUpdate(pod: KObject, old: KObject, ctx: OperationContext): FieldError[] {
  if (ctx.subresource === 'status') return validateStatus(pod);
  const errs = validatePodSpec(pod.spec, 'spec');
  if (ctx.subresource !== 'binding') errs.push(...validatePodSpecUpdate(pod.spec, old.spec));
  return errs;
}

/** kube's CheckGracefulDelete for pods: only bound, non-terminal pods wait. */
export function podGracePeriod(pod: KObject, requested: number | undefined): number | undefined {
  const spec = section(pod, 'spec');
  const phase = section(pod, 'status').phase;
  if (!str(spec.nodeName) || phase === 'Succeeded' || phase === 'Failed') return undefined;
  const tgps = typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 30;
  let period = requested ?? tgps;
  if (period < 0) period = 1;
  return period === 0 ? undefined : period;
}

const specField = (f: string) => (pod: KObject) => {
  const v = section(pod, 'spec')[f];
  return v === undefined || v === null ? '' : String(v);
};
const statusField = (f: string) => (pod: KObject) => str(section(pod, 'status')[f]);

export const podDefinition: ResourceDefinition = defineResource({
  group: '',
  version: 'v1',
  kind: 'Pod',
  plural: 'pods',
  singular: 'pod',
  shortNames: ['po'],
  categories: ['all'],
  namespaced: true,
  description: 'A group of containers scheduled together onto one node, sharing network and volumes.',
  schema: Type.Object(
    { spec: Type.Optional(PodSpecSchema), status: Type.Optional(PodStatusSchema) },
    { description: 'A pod: desired state in spec, observed state in status.' },
  ),
  subresources: { status: true },
  extraSubresources: ['log', 'binding', 'eviction'],
  strategicMerge: true,
  returnDeletedObject: true,
  columns: [
    nameColumn,
    { name: 'Ready', type: 'string', description: 'Ready containers out of all containers.', value: podReadyCell },
    { name: 'Status', type: 'string', description: 'Aggregate status of the pod and its containers.', value: podStatusCell },
    {
      name: 'Restarts',
      type: 'string',
      description: 'Container restarts, and how long ago the last one happened.',
      value: (o, now) => podRestartsCell(o, now),
    },
    ageColumn,
    { name: 'IP', type: 'string', priority: 1, description: 'IP address of the pod.', value: podIPCell },
    { name: 'Node', type: 'string', priority: 1, description: 'Node the pod is bound to.', value: podNodeCell },
    { name: 'Nominated Node', type: 'string', priority: 1, description: 'Node the pod is expected to run on after preemption.', value: podNominatedNodeCell },
    { name: 'Readiness Gates', type: 'string', priority: 1, description: 'Readiness gates that are True, out of all gates.', value: podReadinessGatesCell },
  ],
  selectableFields: {
    'spec.nodeName': specField('nodeName'),
    'spec.restartPolicy': specField('restartPolicy'),
    'spec.schedulerName': specField('schedulerName'),
    'spec.serviceAccountName': specField('serviceAccountName'),
    'spec.hostNetwork': (pod) => String(section(pod, 'spec').hostNetwork === true),
    'status.phase': statusField('phase'),
    'status.podIP': statusField('podIP'),
    'status.nominatedNodeName': statusField('nominatedNodeName'),
  },
  strategy: {
    prepareForCreate,
    validate: (pod) => validatePodSpec(pod.spec, 'spec'),
    prepareForUpdate,
    validateUpdate,
    gracefulDeletionSeconds: podGracePeriod,
  },
});

