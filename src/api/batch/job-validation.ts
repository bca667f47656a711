// Validation of batch/v1 Job with kube's rules and messages: counts, the pod
// template (restartPolicy OnFailure or Never), Indexed jobs need completions,
// a generated selector that must match, and what may not change afterwards.

import { fieldError, type FieldError } from '../errors.js';
import { isPlainObject, type KObject } from '../object.js';
import { validateSelectorAndTemplate } from '../apps/pod-template-validation.js';
import { isNonNegative, isPositive } from '../validation/field.js';
import { validateImmutableField } from '../validation/object-meta.js';
import { section } from '../core/columns.js';

type Obj = Record<string, unknown>;
const MAX_INDEXED_COMPLETIONS = 100_000;

export function validateJobSpec(spec: Obj, path = 'spec'): FieldError[] {
  const errs: FieldError[] = [
    ...isNonNegative(`${path}.parallelism`, spec.parallelism),
    ...isNonNegative(`${path}.completions`, spec.completions),
    ...isPositive(`${path}.activeDeadlineSeconds`, spec.activeDeadlineSeconds),
    ...isNonNegative(`${path}.backoffLimit`, spec.backoffLimit),
    ...isNonNegative(`${path}.ttlSecondsAfterFinished`, spec.ttlSecondsAfterFinished),
  ];
  const mode = spec.completionMode;
  if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed') errs.push(fieldError.notSupported(`${path}.completionMode`, mode, ['NonIndexed', 'Indexed']));
  if (mode === 'Indexed') {
    if (typeof spec.completions !== 'number') errs.push(fieldError.required(`${path}.completions`, 'when completion mode is Indexed'));
    else if (spec.completions > MAX_INDEXED_COMPLETIONS) errs.push(fieldError.invalid(`${path}.completions`, spec.completions, `must be less than or equal to ${MAX_INDEXED_COMPLETIONS} when completion mode is Indexed`));
  }
  const policy = spec.podReplacementPolicy;
  if (policy !== undefined && policy !== 'TerminatingOrFailed' && policy !== 'Failed') errs.push(fieldError.notSupported(`${path}.podReplacementPolicy`, policy, ['TerminatingOrFailed', 'Failed']));
  // A job's selector is generated on create; a CronJob's job template has none yet.
  errs.push(...validateSelectorAndTemplate(spec, { kind: 'job', restartPolicies: ['OnFailure', 'Never'], selectorOptional: true }, path));
  return errs;
}

export function validateJob(job: KObject): FieldError[] {
  const spec = section(job, 'spec');
  const errs = validateJobSpec(spec);
  if (!isPlainObject(spec.selector)) errs.push(fieldError.required('spec.selector'));
  return errs;
}

export function validateJobUpdate(job: KObject, old: KObject): FieldError[] {
  const spec = section(job, 'spec');
  const was = section(old, 'spec');
  const errs = validateJobSpec(spec);
  errs.push(...validateImmutableField(spec.selector, was.selector, 'spec.selector'));
  errs.push(...validateImmutableField(spec.completionMode, was.completionMode, 'spec.completionMode'));
  // Indexed jobs may scale completions together with parallelism (elastic Indexed jobs).
  const elastic = spec.completionMode === 'Indexed' && spec.completions === spec.parallelism && was.completions === was.parallelism;
  if (!elastic) errs.push(...validateImmutableField(spec.completions, was.completions, 'spec.completions'));
  // The template may change only while the job is suspended and has not started.
  const started = isPlainObject(old.status) && typeof old.status.startTime === 'string';
  if (!(spec.suspend === true && !started)) errs.push(...validateImmutableField(spec.template, was.template, 'spec.template'));
  return errs;
}

const STATUS_COUNTS = ['active', 'succeeded', 'failed', 'ready', 'terminating'];

export function validateJobStatus(job: KObject): FieldError[] {
  const st = section(job, 'status');
  return STATUS_COUNTS.flatMap((f) => isNonNegative(`status.${f}`, st[f]));
}
