// The Job's conditions with kube 1.32's types, reasons and messages. A job
// that met its success criteria says SuccessCriteriaMet, then Complete once
// its pods are gone; one that failed says FailureTarget, then Failed.

import { isPlainObject } from '../../api/object.js';

type Obj = Record<string, unknown>;
export interface JobCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime?: string;
  lastTransitionTime?: string;
}

export const REASONS = {
  completionsReached: { reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
  backoffLimitExceeded: { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
  deadlineExceeded: { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' },
  suspended: { reason: 'JobSuspended', message: 'Job suspended' },
  resumed: { reason: 'JobResumed', message: 'Job resumed' },
};

export const jobConditions = (status: Obj): JobCondition[] => (Array.isArray(status.conditions) ? (status.conditions.filter(isPlainObject) as unknown as JobCondition[]) : []);
export const trueCondition = (status: Obj, type: string) => jobConditions(status).find((c) => c.type === type && c.status === 'True');

/** Sets a condition, keeping lastTransitionTime when the status does not change. */
export function setJobCondition(status: Obj, type: string, value: 'True' | 'False', why: { reason: string; message: string }, now: string): void {
  const conds = jobConditions(status);
  const cur = conds.find((c) => c.type === type);
  if (cur && cur.status === value && cur.reason === why.reason && cur.message === why.message) return;
  const next: JobCondition = { type, status: value, reason: why.reason, message: why.message, lastProbeTime: now, lastTransitionTime: cur && cur.status === value ? (cur.lastTransitionTime ?? now) : now };
  status.conditions = cur ? conds.map((c) => (c === cur ? next : c)) : [...conds, next];
}

export const isFinishedJob = (status: Obj) => !!(trueCondition(status, 'Complete') || trueCondition(status, 'Failed'));
