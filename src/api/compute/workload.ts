// Workload (compute.miloapis.com/v1alpha1): replicas of a pod template in a
// project namespace, rolled out one pod at a time by the workload controller.
// Defaulting lives here: replicas, template labels, the selector (from the
// template's labels) and kube's pod-spec defaults on the template.

import { Type } from '@sinclair/typebox';
import { defineResource, type OperationContext, type ResourceDefinition } from '../definition.js';
import type { FieldError } from '../errors.js';
import { selectorToString, type LabelSelector } from '../label-selector.js';
import { clone, isPlainObject, type KObject } from '../object.js';
import { opt } from '../schemas/index.js';
import { ageColumn, nameColumn, section } from '../core/columns.js';
import { defaultPodSpec } from '../core/pod-defaults.js';
import { ComputeWorkloadSpecSchema, ComputeWorkloadStatusSchema } from './workload-schema.js';
import { validateComputeWorkload, validateComputeWorkloadStatus, validateComputeWorkloadUpdate } from './workload-validation.js';

/** Label given to pods of a workload whose template names no labels, so a selector can find them. */
export const WORKLOAD_NAME_LABEL = 'compute.miloapis.com/workload';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (isPlainObject(v) ? v : {});
const hasKeys = (v: unknown) => isPlainObject(v) && Object.keys(v).length > 0;

/** The selector in the string form the scale subresource reports (`app=web`); empty when unusable. */
export function workloadSelectorString(w: KObject): string {
  const sel = section(w, 'spec').selector;
  if (!isPlainObject(sel)) return '';
  try {
    return selectorToString(sel as LabelSelector);
  } catch {
    return ''; // a bad operator; validation refuses the object anyway
  }
}

function applyDefaults(w: KObject, old?: KObject): void {
  if (!isPlainObject(w.spec)) w.spec = {};
  const spec = w.spec as Obj;
  if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1;
  // The selector was defaulted once and cannot change; a write that omits it keeps it.
  if (old && (spec.selector === undefined || spec.selector === null) && isPlainObject(obj(old.spec).selector)) {
    spec.selector = clone(obj(old.spec).selector);
  }
  if (!isPlainObject(spec.template)) return;
  const template = spec.template;
  if (!isPlainObject(template.metadata)) template.metadata = {};
  const meta = template.metadata as Obj;
  if (!hasKeys(meta.labels)) {
    const wanted = obj(spec.selector).matchLabels;
    meta.labels = hasKeys(wanted) ? clone(wanted) : { [WORKLOAD_NAME_LABEL]: w.metadata.name ?? '' };
  }
  if (spec.selector === undefined || spec.selector === null) spec.selector = { matchLabels: clone(meta.labels) };
  if (!isPlainObject(template.spec)) template.spec = {};
  defaultPodSpec(template.spec);
}

function prepareForCreate(w: KObject): void {
  applyDefaults(w);
  w.status = { phase: 'Pending', replicas: 0, selector: workloadSelectorString(w) };
}

function validateUpdate(w: KObject, old: KObject, ctx: OperationContext): FieldError[] {
  return ctx.subresource === 'status' ? validateComputeWorkloadStatus(w) : validateComputeWorkloadUpdate(w, old);
}

const count = (field: string) => (w: KObject) => {
  const v = section(w, 'status')[field];
  return typeof v === 'number' ? v : 0;
};

/** Container images of the template, comma-joined (the IMAGES column). */
export function workloadImages(w: KObject): string {
  const containers = obj(obj(section(w, 'spec').template).spec).containers;
  if (!Array.isArray(containers)) return '';
  return containers.map((c) => (typeof obj(c).image === 'string' ? (obj(c).image as string) : '')).join(',');
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');

export const computeWorkloadDefinition: ResourceDefinition = defineResource({
  group: 'compute.miloapis.com',
  version: 'v1alpha1',
  kind: 'Workload',
  plural: 'workloads',
  singular: 'workload',
  shortNames: ['cwl'],
  namespaced: true,
  nameFormat: 'dns1123-label',
  // Served by Workplane itself, not as a CRD: seed 003's `kubectl patch -p` (strategic by default) works.
  strategicMerge: true,
  description: 'A containerized application: replicas of a pod template in a project namespace, optionally on a Network.',
  schema: Type.Object(
    { spec: opt(ComputeWorkloadSpecSchema), status: opt(ComputeWorkloadStatusSchema) },
    { description: 'A compute workload.' },
  ),
  subresources: {
    status: true,
    scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' },
  },
  columns: [
    nameColumn,
    { name: 'Replicas', type: 'integer', description: 'Desired number of pods.', value: (w) => section(w, 'spec').replicas ?? 0, jsonPath: '.spec.replicas' },
    { name: 'Ready', type: 'integer', description: 'Pods that are Ready.', value: count('readyReplicas'), jsonPath: '.status.readyReplicas' },
    { name: 'Available', type: 'integer', description: 'Pods available to serve.', value: count('availableReplicas'), jsonPath: '.status.availableReplicas' },
    { name: 'Phase', type: 'string', description: 'Coarse state of the workload.', value: (w) => text(section(w, 'status').phase), jsonPath: '.status.phase' },
    ageColumn,
    { name: 'Images', type: 'string', priority: 1, description: 'Container images of the pod template.', value: workloadImages, jsonPath: '.spec.template.spec.containers[*].image' },
    { name: 'Network', type: 'string', priority: 1, description: 'Network the pods join.', value: (w) => text(obj(section(w, 'spec').networkRef).name), jsonPath: '.spec.networkRef.name' },
  ],
  strategy: {
    prepareForCreate,
    validate: validateComputeWorkload,
    prepareForUpdate: (w, old) => applyDefaults(w, old),
    validateUpdate,
    prepareForDelete: (w) => {
      w.status = { ...section(w, 'status'), phase: 'Deleting' };
    },
  },
});
