// The resources the batch controllers read and write, and the names kube
// gives to Job pods' labels, annotations and finalizer.

import type { KObject } from '../../api/object.js';
import type { GroupVersionResource } from '../../client/types.js';

export const JOBS: GroupVersionResource = { group: 'batch', version: 'v1', resource: 'jobs' };
export const CRON_JOBS: GroupVersionResource = { group: 'batch', version: 'v1', resource: 'cronjobs' };
export const PODS: GroupVersionResource = { group: '', version: 'v1', resource: 'pods' };

/** Keeps a finished pod until the Job controller has counted it in status. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';
export const COMPLETION_INDEX_LABEL = 'batch.kubernetes.io/job-completion-index';
export const CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/** Pod informer index: `namespace/job-name` of the Job controlling the pod. */
export const JOB_OWNER_INDEX = 'job-owner';
export const jobOwnerIndexer = (p: KObject): string[] => {
  const ref = p.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'Job' && o.apiVersion.startsWith('batch/'));
  return ref ? [`${p.metadata.namespace}/${ref.name}`] : [];
};

/** Job informer index: `namespace/cronjob-name` of the CronJob controlling the job. */
export const CRONJOB_OWNER_INDEX = 'cronjob-owner';
export const cronJobOwnerIndexer = (j: KObject): string[] => {
  const ref = j.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'CronJob');
  return ref ? [`${j.metadata.namespace}/${ref.name}`] : [];
};
