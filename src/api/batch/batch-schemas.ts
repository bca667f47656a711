// Schemas of batch/v1 Job and CronJob, field for field as kube serves them.
// Presence, ranges and cross-field rules are checked in the validation modules.

import { Type } from '@sinclair/typebox';
import { bool, int32, int64, listOf, openObject, opt, str, stringList, time } from '../schemas/builders.js';
import { conditionsList } from '../schemas/condition.js';
import { ObjectMetaSchema } from '../schemas/object-meta.js';
import { PodTemplateSpecSchema } from '../schemas/pod-spec.js';
import { LabelSelectorSchema, ObjectReferenceSchema } from '../schemas/references.js';

export const JobSpecSchema = Type.Object(
  {
    parallelism: opt(int32('Maximum pods the job runs at once. Defaults to 1.')),
    completions: opt(int32('Successfully finished pods the job needs. Unset: any pod success means success (work queue).')),
    activeDeadlineSeconds: opt(int64('Seconds the job may be active before it is terminated (reason DeadlineExceeded).')),
    podFailurePolicy: opt(openObject('Rules that decide what a failed pod means (fail the job, ignore, count).')),
    successPolicy: opt(openObject('Rules that declare the job succeeded before all completions (Indexed jobs).')),
    backoffLimit: opt(int32('Retries before the job is marked failed. Defaults to 6.')),
    backoffLimitPerIndex: opt(int32('Retries per index of an Indexed job.')),
    maxFailedIndexes: opt(int32('Failed indexes after which an Indexed job fails.')),
    selector: opt({ ...LabelSelectorSchema, description: 'Label query over the pods of the job; generated unless manualSelector is true.' }),
    manualSelector: opt(bool('Lets the selector be set by hand instead of generated.')),
    template: opt({ ...PodTemplateSpecSchema, description: 'The pods the job runs; restartPolicy must be `OnFailure` or `Never`. Required.' }),
    ttlSecondsAfterFinished: opt(int32('Seconds after which a finished job is deleted.')),
    completionMode: opt(str('`NonIndexed` (default) or `Indexed` (each pod gets a completion index 0..completions-1).')),
    suspend: opt(bool('A suspended job creates no pods and deletes its running ones.')),
    podReplacementPolicy: opt(str('When replacement pods are created: `TerminatingOrFailed` (default) or `Failed`.')),
    managedBy: opt(str('The controller that reconciles the job; empty or `kubernetes.io/job-controller` for the built-in one.')),
  },
  { description: 'Desired state of a Job.' },
);

export const JobStatusSchema = Type.Object(
  {
    conditions: opt(conditionsList('Current observations of the job: `SuccessCriteriaMet`, `Complete`, `FailureTarget`, `Failed`, `Suspended`.')),
    startTime: opt(time('When the job controller started processing the job.')),
    completionTime: opt(time('When the job completed; set only on success.')),
    active: opt(int32('Pending and running pods that are not terminating.')),
    succeeded: opt(int32('Pods that reached phase Succeeded.')),
    failed: opt(int32('Pods that reached phase Failed.')),
    terminating: opt(int32('Pods being terminated.')),
    ready: opt(int32('Active pods with a Ready condition.')),
    completedIndexes: opt(str('Completed indexes of an Indexed job, as ranges (`1,3-5,7`).')),
    failedIndexes: opt(str('Failed indexes (backoffLimitPerIndex), as ranges.')),
    uncountedTerminatedPods: opt(
      Type.Object(
        { succeeded: opt(stringList('UIDs of succeeded pods not yet counted.')), failed: opt(stringList('UIDs of failed pods not yet counted.')) },
        { description: 'Finished pods the controller has not yet counted in status (pod finalizer tracking).' },
      ),
    ),
  },
  { description: 'Observed state of a Job.' },
);

export const JobTemplateSpecSchema = Type.Object(
  { metadata: opt(ObjectMetaSchema), spec: opt(JobSpecSchema) },
  { description: 'The Job a CronJob creates: its metadata and spec.' },
);

export const CronJobSpecSchema = Type.Object(
  {
    schedule: opt(str('Cron schedule (`*/5 * * * *`, `@hourly`). Required.')),
    timeZone: opt(str('IANA time zone of the schedule (`Etc/UTC`); the server\'s local time when unset.')),
    startingDeadlineSeconds: opt(int64('Seconds after a missed schedule time within which the job may still start.')),
    concurrencyPolicy: opt(str('`Allow` (default), `Forbid` or `Replace` concurrent runs.')),
    suspend: opt(bool('Suspends subsequent runs; running jobs are not affected.')),
    jobTemplate: opt({ ...JobTemplateSpecSchema, description: 'The Job created at each scheduled time. Required.' }),
    successfulJobsHistoryLimit: opt(int32('Successful finished jobs kept. Defaults to 3.')),
    failedJobsHistoryLimit: opt(int32('Failed finished jobs kept. Defaults to 1.')),
  },
  { description: 'Desired state of a CronJob.' },
);

export const CronJobStatusSchema = Type.Object(
  {
    active: opt(listOf('Jobs currently running.', ObjectReferenceSchema, { listType: 'atomic' })),
    lastScheduleTime: opt(time('The last time a job was scheduled.')),
    lastSuccessfulTime: opt(time('The last time a job completed successfully.')),
  },
  { description: 'Observed state of a CronJob.' },
);
