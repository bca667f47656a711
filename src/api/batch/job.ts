// Job (batch/v1): pods run to completion; the job succeeds once `completions`
// of them have, or fails past its backoff limit or deadline. The job
// controller creates the pods and keeps status.

import { Type } from '@sinclair/typebox';
import { defineResource, type ResourceDefinition } from '../definition.js';
import { formatAge } from '../duration.js';
import { isPlainObject, type KObject } from '../object.js';
import { opt } from '../schemas/index.js';
import { ageColumn, nameColumn, section } from '../core/columns.js';
import { statusCount, wideTemplateColumns } from '../apps/template-columns.js';
import { JobSpecSchema, JobStatusSchema } from './batch-schemas.js';
import { prepareJobForCreate, prepareJobForUpdate } from './job-defaults.js';
import { validateJob, validateJobStatus, validateJobUpdate } from './job-validation.js';

const trueCondition = (job: KObject, type: string) => {
  const conds = section(job, 'status').conditions;
  return Array.isArray(conds) && conds.some((c) => isPlainObject(c) && c.type === type && c.status === 'True');
};

/** The STATUS column of kubectl 1.32's job printer. */
export function jobStatusCell(job: KObject): string {
  for (const t of ['Failed', 'Complete', 'FailureTarget', 'SuccessCriteriaMet', 'Suspended']) if (trueCondition(job, t)) return t;
  if (job.metadata.deletionTimestamp) return 'Terminating';
  return 'Running';
}

function completionsCell(job: KObject): string {
  const spec = section(job, 'spec');
  const succeeded = statusCount(job, 'succeeded');
  if (typeof spec.completions === 'number') return `${succeeded}/${spec.completions}`;
  const parallelism = typeof spec.parallelism === 'number' ? spec.parallelism : 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function durationCell(job: KObject, now: number): string {
  const st = section(job, 'status');
  const start = typeof st.startTime === 'string' ? Date.parse(st.startTime) : NaN;
  if (Number.isNaN(start)) return '';
  const end = typeof st.completionTime === 'string' ? Date.parse(st.completionTime) : now;
  return formatAge(end - start);
}

export const jobDefinition: ResourceDefinition = defineResource({
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  plural: 'jobs',
  singular: 'job',
  categories: ['all'],
  namespaced: true,
  strategicMerge: true,
  description: 'A finite task: pods run until a number of them complete successfully.',
  schema: Type.Object({ spec: opt(JobSpecSchema), status: opt(JobStatusSchema) }, { description: 'A Job.' }),
  subresources: { status: true },
  columns: [
    nameColumn,
    { name: 'Status', type: 'string', description: 'Status of the job.', value: jobStatusCell },
    { name: 'Completions', type: 'string', description: 'Succeeded pods out of the desired completions.', value: completionsCell },
    { name: 'Duration', type: 'string', description: 'Time the job took (or has been running).', value: durationCell },
    ageColumn,
    ...wideTemplateColumns(),
  ],
  strategy: {
    prepareForCreate: prepareJobForCreate,
    validate: validateJob,
    prepareForUpdate: prepareJobForUpdate,
    validateUpdate: (job, old, ctx) => (ctx.subresource === 'status' ? validateJobStatus(job) : validateJobUpdate(job, old)),
  },
});
