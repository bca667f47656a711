// Validation of compute.miloapis.com Workload: project namespace, replicas,
// selector (valid, non-empty, matching the template, immutable), the pod
// template (as kube validates a Deployment's), network and placement.

import { fieldError, type FieldError } from '../errors.js';
import { fromLabelSelector, type LabelSelector } from '../label-selector.js';
import { isPlainObject, type KObject } from '../object.js';
import { RESTART_POLICY_VALUES, validatePodSpec } from '../validation/pod-spec.js';
import { invalidEach, isNonNegative } from '../validation/field.js';
import { isDNS1123Subdomain } from '../validation/names.js';
import { validateImmutableField, validateLabels } from '../validation/object-meta.js';
import { isEmptySelector, validateLabelSelector } from './label-selector-validation.js';
import { projectOfNamespace } from './project.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (isPlainObject(v) ? v : {});

export const PROJECT_NAMESPACE_MESSAGE = 'workloads must be created in a project namespace (project-<name>)';

function validateNamespace(w: KObject): FieldError[] {
  const ns = w.metadata.namespace;
  // A missing namespace is reported by the generic metadata checks.
  if (!ns || projectOfNamespace(ns) !== undefined) return [];
  return [fieldError.invalid('metadata.namespace', ns, PROJECT_NAMESPACE_MESSAGE)];
}

function selectorMatches(selector: Obj, labels: Record<string, string>): boolean {
  try {
    return fromLabelSelector(selector as LabelSelector)(labels);
  } catch {
    return true; // an unparseable selector is reported by validateLabelSelector
  }
}

function validateSelectorAndTemplate(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  if (!isPlainObject(spec.template)) return [fieldError.required('spec.template')];
  const template = spec.template;
  const labels = obj(obj(template.metadata).labels) as Record<string, string>;
  errs.push(...validateLabels(labels, 'spec.template.metadata.labels'));
  // Absent only when the template is missing; prepareForCreate defaults it otherwise.
  if (isPlainObject(spec.selector)) {
    const selector = spec.selector;
    errs.push(...validateLabelSelector(selector, 'spec.selector'));
    if (isEmptySelector(selector)) errs.push(fieldError.invalid('spec.selector', selector, 'empty selector is invalid for workload'));
    else if (!selectorMatches(selector, labels)) {
      errs.push(fieldError.invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
    }
  }
  errs.push(...validatePodSpec(template.spec, 'spec.template.spec'));
  // Replicas are kept running, so their pods always restart (as for Deployments).
  const restart = obj(template.spec).restartPolicy;
  if (typeof restart === 'string' && restart !== 'Always' && RESTART_POLICY_VALUES.includes(restart)) {
    errs.push(fieldError.notSupported('spec.template.spec.restartPolicy', restart, ['Always']));
  }
  return errs;
}

function validateSpec(spec: Obj): FieldError[] {
  const errs = [...isNonNegative('spec.replicas', spec.replicas), ...validateSelectorAndTemplate(spec)];
  if (isPlainObject(spec.networkRef)) {
    const name = spec.networkRef.name;
    if (typeof name !== 'string' || name === '') errs.push(fieldError.required('spec.networkRef.name'));
    else errs.push(...invalidEach('spec.networkRef.name', name, isDNS1123Subdomain(name)));
  }
  const nodeSelector = obj(spec.provider).nodeSelector;
  if (isPlainObject(nodeSelector)) errs.push(...validateLabels(nodeSelector as Record<string, string>, 'spec.provider.nodeSelector'));
  return errs;
}

export function validateComputeWorkload(w: KObject): FieldError[] {
  return [...validateNamespace(w), ...validateSpec(obj(w.spec))];
}

export function validateComputeWorkloadUpdate(w: KObject, old: KObject): FieldError[] {
  const spec = obj(w.spec);
  return [...validateSpec(spec), ...validateImmutableField(spec.selector, obj(old.spec).selector, 'spec.selector')];
}

const STATUS_COUNTS = ['replicas', 'readyReplicas', 'availableReplicas', 'updatedReplicas', 'observedGeneration'];

export function validateComputeWorkloadStatus(w: KObject): FieldError[] {
  const status = obj(w.status);
  return STATUS_COUNTS.flatMap((f) => isNonNegative(`status.${f}`, status[f]));
}
