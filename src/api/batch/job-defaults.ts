// Job defaulting as kube's batch/v1 SetDefaults_Job plus the strategy's
// generated selector: pods of a job carry `batch.kubernetes.io/controller-uid`
// (and the legacy `controller-uid`) and `batch.kubernetes.io/job-name`
// (and `job-name`), and the job selects them by its uid.

import { isPlainObject, type KObject } from '../object.js';
import { defaultPodSpec } from '../core/pod-defaults.js';

type Obj = Record<string, unknown>;

export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const LEGACY_JOB_NAME_LABEL = 'job-name';

const unset = (v: unknown) => v === undefined || v === null;

/** SetDefaults_Job on a spec (also used for CronJob job templates). */
export function defaultJobSpec(spec: Obj): void {
  if (unset(spec.completions) && unset(spec.parallelism)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  if (unset(spec.parallelism)) spec.parallelism = 1;
  if (unset(spec.backoffLimit)) spec.backoffLimit = unset(spec.backoffLimitPerIndex) ? 6 : 2147483647;
  if (unset(spec.completionMode)) spec.completionMode = 'NonIndexed';
  if (unset(spec.suspend)) spec.suspend = false;
  if (unset(spec.podReplacementPolicy) && unset(spec.podFailurePolicy)) spec.podReplacementPolicy = 'TerminatingOrFailed';
  if (unset(spec.manualSelector)) delete spec.manualSelector;
  if (isPlainObject(spec.template)) {
    if (!isPlainObject(spec.template.spec)) spec.template.spec = {};
    defaultPodSpec(spec.template.spec);
  }
}

/** The strategy's generateSelector: labels on the template, selector by uid (unless manualSelector). */
export function generateSelector(job: KObject): void {
  const spec = job.spec as Obj;
  if (spec.manualSelector === true || !isPlainObject(spec.template)) return;
  const uid = job.metadata.uid ?? '';
  const name = job.metadata.name ?? '';
  if (!isPlainObject(spec.template.metadata)) spec.template.metadata = {};
  const meta = spec.template.metadata as Obj;
  const labels = isPlainObject(meta.labels) ? (meta.labels as Record<string, string>) : {};
  meta.labels = { ...labels, [CONTROLLER_UID_LABEL]: uid, [LEGACY_CONTROLLER_UID_LABEL]: uid, [JOB_NAME_LABEL]: name, [LEGACY_JOB_NAME_LABEL]: name };
  if (unset(spec.selector)) spec.selector = { matchLabels: { [CONTROLLER_UID_LABEL]: uid } };
}

export function prepareJobForCreate(job: KObject): void {
  if (!isPlainObject(job.spec)) job.spec = {};
  defaultJobSpec(job.spec as Obj);
  generateSelector(job);
  // Labels default to the template's (SetDefaults_Job), generated ones included.
  const tplLabels = (job.spec as { template?: { metadata?: { labels?: Record<string, string> } } }).template?.metadata?.labels;
  if ((!job.metadata.labels || Object.keys(job.metadata.labels).length === 0) && tplLabels) job.metadata.labels = { ...tplLabels };
  delete job.status;
}

export function prepareJobForUpdate(job: KObject): void {
  if (!isPlainObject(job.spec)) job.spec = {};
  defaultJobSpec(job.spec as Obj);
}
