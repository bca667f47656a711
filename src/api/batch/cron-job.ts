// CronJob (batch/v1): creates a Job from jobTemplate at each time of its cron
// schedule (in spec.timeZone), keeping a bounded history of finished Jobs.

import { Type } from '@sinclair/typebox';
import { defineResource, type OperationContext, type ResourceDefinition } from '../definition.js';
import { ageSince } from '../duration.js';
import { fieldError, type FieldError } from '../errors.js';
import { isPlainObject, type KObject } from '../object.js';
import { opt } from '../schemas/index.js';
import { ageColumn, nameColumn, section } from '../core/columns.js';
import { defaultPodSpec } from '../core/pod-defaults.js';
import { isNonNegative } from '../validation/field.js';
import { wideTemplateColumns } from '../apps/template-columns.js';
import { CronJobSpecSchema, CronJobStatusSchema } from './batch-schemas.js';
import { isValidTimeZone, scheduleError } from './cron-schedule.js';
import { validateJobSpec } from './job-validation.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (isPlainObject(v) ? v : {});
const unset = (v: unknown) => v === undefined || v === null;

/** Job names are `<cronjob>-<minutes since epoch>` and must stay a label (63). */
export const CRONJOB_NAME_MAX = 52;
export const CONCURRENCY_POLICIES = ['Allow', 'Forbid', 'Replace'];

function applyDefaults(cj: KObject): void {
  if (!isPlainObject(cj.spec)) cj.spec = {};
  const spec = cj.spec as Obj;
  if (unset(spec.concurrencyPolicy)) spec.concurrencyPolicy = 'Allow';
  if (unset(spec.suspend)) spec.suspend = false;
  if (unset(spec.successfulJobsHistoryLimit)) spec.successfulJobsHistoryLimit = 3;
  if (unset(spec.failedJobsHistoryLimit)) spec.failedJobsHistoryLimit = 1;
  const tpl = obj(obj(obj(spec.jobTemplate).spec).template);
  if (isPlainObject(obj(spec.jobTemplate).spec) && isPlainObject(obj(obj(spec.jobTemplate).spec).template)) {
    if (!isPlainObject(tpl.spec)) tpl.spec = {};
    defaultPodSpec(tpl.spec);
  }
}

export function validateCronJob(cj: KObject): FieldError[] {
  const spec = section(cj, 'spec');
  const errs: FieldError[] = [];
  const name = cj.metadata.name ?? '';
  if (name.length > CRONJOB_NAME_MAX) errs.push(fieldError.invalid('metadata.name', name, `must be no more than ${CRONJOB_NAME_MAX} characters`));
  if (typeof spec.schedule !== 'string' || spec.schedule === '') errs.push(fieldError.required('spec.schedule'));
  else {
    const why = scheduleError(spec.schedule);
    if (why) errs.push(fieldError.invalid('spec.schedule', spec.schedule, why));
  }
  if (typeof spec.timeZone === 'string' && !isValidTimeZone(spec.timeZone)) errs.push(fieldError.invalid('spec.timeZone', spec.timeZone, `unknown time zone ${spec.timeZone}`));
  if (!unset(spec.concurrencyPolicy) && !CONCURRENCY_POLICIES.includes(String(spec.concurrencyPolicy))) {
    errs.push(fieldError.notSupported('spec.concurrencyPolicy', spec.concurrencyPolicy, CONCURRENCY_POLICIES));
  }
  errs.push(...isNonNegative('spec.startingDeadlineSeconds', spec.startingDeadlineSeconds));
  errs.push(...isNonNegative('spec.successfulJobsHistoryLimit', spec.successfulJobsHistoryLimit));
  errs.push(...isNonNegative('spec.failedJobsHistoryLimit', spec.failedJobsHistoryLimit));
  if (!isPlainObject(spec.jobTemplate)) errs.push(fieldError.required('spec.jobTemplate'));
  else errs.push(...validateJobSpec(obj(spec.jobTemplate.spec), 'spec.jobTemplate.spec'));
  return errs;
}

function lastSchedule(cj: KObject, now: number): string {
  const t = section(cj, 'status').lastScheduleTime;
  return typeof t === 'string' ? ageSince(t, now) : '<none>';
}

export const cronJobDefinition: ResourceDefinition = defineResource({
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  plural: 'cronjobs',
  singular: 'cronjob',
  shortNames: ['cj'],
  categories: ['all'],
  namespaced: true,
  strategicMerge: true,
  description: 'Runs a Job on a repeating cron schedule.',
  schema: Type.Object({ spec: opt(CronJobSpecSchema), status: opt(CronJobStatusSchema) }, { description: 'A CronJob.' }),
  subresources: { status: true },
  columns: [
    nameColumn,
    { name: 'Schedule', type: 'string', description: 'The cron schedule.', jsonPath: '.spec.schedule' },
    { name: 'Timezone', type: 'string', description: 'Time zone of the schedule.', value: (cj) => (typeof section(cj, 'spec').timeZone === 'string' ? section(cj, 'spec').timeZone : '<none>') },
    { name: 'Suspend', type: 'string', description: 'Whether further runs are suspended.', value: (cj) => (section(cj, 'spec').suspend === true ? 'True' : 'False') },
    { name: 'Active', type: 'integer', description: 'Jobs currently running.', value: (cj) => (Array.isArray(section(cj, 'status').active) ? (section(cj, 'status').active as unknown[]).length : 0) },
    { name: 'Last Schedule', type: 'string', description: 'Time since the last job was scheduled.', value: lastSchedule },
    ageColumn,
    ...wideTemplateColumns((cj) => obj(obj(section(cj, 'spec').jobTemplate).spec).selector),
  ],
  strategy: {
    prepareForCreate: (cj) => {
      applyDefaults(cj);
      delete cj.status;
    },
    validate: validateCronJob,
    prepareForUpdate: (cj) => applyDefaults(cj),
    validateUpdate: (cj, _old, ctx: OperationContext) => (ctx.subresource === 'status' ? [] : validateCronJob(cj)),
  },
});
