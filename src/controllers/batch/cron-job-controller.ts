// The CronJob controller: at each time of the schedule (in spec.timeZone)
// creates a Job from jobTemplate named `<cronjob>-<minutes since epoch>`,
// honouring concurrencyPolicy (Allow, Forbid, Replace), suspend and
// startingDeadlineSeconds; keeps status.active, lastScheduleTime and
// lastSuccessfulTime; and deletes finished Jobs beyond the history limits.
// Time comes from a Clock, so tests can drive the schedule.
//
// Level-based: each pass works out the most recent missed time from
// status.lastScheduleTime and the clock, and asks to run again at the next one.

import { isAlreadyExists, isNotFound } from '../../api/errors.js';
import { isPlainObject, type KObject } from '../../api/object.js';
import { section } from '../../api/core/columns.js';
import { nextScheduledTime, scheduledTimes } from '../../api/batch/cron-schedule.js';
import { controllerFor, type Controller } from '../../client/controller.js';
import { EventRecorder } from '../../client/event-recorder.js';
import type { Informer } from '../../client/informer.js';
import { stderrLogger, type Logger } from '../../client/logger.js';
import { SharedInformers } from '../../client/shared-informers.js';
import type { Client, ResourceClient } from '../../client/types.js';
import { controllerRef } from '../apps/pod-control.js';
import { trueCondition } from './job-conditions.js';
import { systemClock, type Clock } from './job-controller.js';
import { CRONJOB_OWNER_INDEX, CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION, CRON_JOBS, JOBS, cronJobOwnerIndexer } from './resources.js';

export interface CronJobControllerOptions {
  informers?: SharedInformers;
  log?: Logger;
  recorder?: EventRecorder;
  clock?: Clock;
}

export function cronJobController(client: Client, opts: CronJobControllerOptions = {}): Controller {
  const log = opts.log ?? stderrLogger;
  const informers = opts.informers ?? new SharedInformers(client, { log });
  const jobs = informers.informerFor(JOBS, { [CRONJOB_OWNER_INDEX]: cronJobOwnerIndexer });
  const cronJobs = informers.informerFor(CRON_JOBS);
  const recorder = opts.recorder ?? new EventRecorder(client, { component: 'cronjob-controller', log });
  const r = new CronJobReconciler(client, cronJobs, jobs, recorder, opts.clock ?? systemClock, log);
  return controllerFor(client, { name: 'cronjob-controller', workers: 2, informers, log }).for(CRON_JOBS).owns(JOBS).complete(r);
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (isPlainObject(v) ? v : {});
const num = (v: unknown, d: number) => (typeof v === 'number' ? v : d);
/** kube gives up listing missed start times past 100. */
const MAX_MISSED = 100;

const finishedAs = (job: KObject): 'Complete' | 'Failed' | undefined => {
  const st = section(job, 'status');
  return trueCondition(st, 'Complete') ? 'Complete' : trueCondition(st, 'Failed') ? 'Failed' : undefined;
};

export class CronJobReconciler {
  private readonly jobsRc: ResourceClient;
  private readonly cronJobsRc: ResourceClient;

  constructor(
    client: Client,
    private readonly cronJobs: Informer,
    private readonly jobs: Informer,
    private readonly recorder: EventRecorder,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.jobsRc = client.resource(JOBS);
    this.cronJobsRc = client.resource(CRON_JOBS);
  }

  async reconcile(key: string): Promise<{ requeueAfter: number } | void> {
    const cj = this.cronJobs.getByKey(key);
    if (!cj || cj.metadata.deletionTimestamp) return;
    const spec = section(cj, 'spec');
    const owned = this.jobs.byIndex(CRONJOB_OWNER_INDEX, key).filter((j) => j.metadata.ownerReferences?.some((o) => o.controller && o.uid === cj.metadata.uid));
    const status: Obj = { ...section(cj, 'status') };
    const wasActive = new Set((Array.isArray(status.active) ? (status.active as Obj[]) : []).map((r) => String(r.uid)));
    for (const j of owned) {
      const done = finishedAs(j);
      if (done && wasActive.has(j.metadata.uid ?? '')) this.recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${done}`);
    }
    let active = owned.filter((j) => !finishedAs(j) && !j.metadata.deletionTimestamp);
    const successes = owned.filter((j) => finishedAs(j) === 'Complete').map((j) => String(section(j, 'status').completionTime ?? '')).filter(Boolean).sort();
    if (successes.length) status.lastSuccessfulTime = successes[successes.length - 1];
    await this.cleanupHistory(cj, owned);

    const now = this.clock.now();
    let requeue: number | undefined;
    if (spec.suspend !== true) {
      const schedule = String(spec.schedule ?? '');
      const tz = typeof spec.timeZone === 'string' ? spec.timeZone : undefined;
      let earliest = Date.parse(String(status.lastScheduleTime ?? cj.metadata.creationTimestamp ?? new Date(now).toISOString()));
      const sds = spec.startingDeadlineSeconds;
      if (typeof sds === 'number') earliest = Math.max(earliest, now - sds * 1000);
      try {
        const missed = scheduledTimes(schedule, tz, new Date(earliest), new Date(now), MAX_MISSED + 1);
        if (missed.length > MAX_MISSED) this.recorder.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
        const due = missed.at(-1);
        // A run already made for this time (its status write lost a race) only needs recording.
        if (due && owned.some((j) => j.metadata.name === jobFromTemplate(cj, due).metadata.name)) status.lastScheduleTime = isoSeconds(due);
        else if (due) active = await this.run(cj, status, active, due);
        requeue = Math.max(0, nextScheduledTime(schedule, tz, new Date(now)).getTime() - now) + 100;
      } catch (e) {
        this.recorder.event(cj, 'Warning', 'InvalidSchedule', `invalid schedule: ${schedule} : ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (active.length) status.active = active.map(jobReference);
    else delete status.active;
    if (JSON.stringify(status) !== JSON.stringify(section(cj, 'status'))) await this.cronJobsRc.updateStatus(cj.metadata.namespace, { ...cj, status });
    return requeue === undefined ? undefined : { requeueAfter: requeue };
  }

  /** Starts the job due at `due` as the concurrency policy allows; returns the jobs now active. */
  private async run(cj: KObject, status: Obj, active: KObject[], due: Date): Promise<KObject[]> {
    const policy = section(cj, 'spec').concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && active.length > 0) {
      this.recorder.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return active;
    }
    if (policy === 'Replace') {
      for (const j of active) {
        try {
          await this.jobsRc.delete(j.metadata.namespace, j.metadata.name!, { propagationPolicy: 'Background', preconditions: { uid: j.metadata.uid } });
          this.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${j.metadata.name}`);
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }
      active = [];
    }
    const job = jobFromTemplate(cj, due);
    let made: KObject | undefined;
    try {
      made = await this.jobsRc.create(cj.metadata.namespace, job);
      this.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${made.metadata.name}`);
    } catch (e) {
      if (!isAlreadyExists(e)) {
        this.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${e instanceof Error ? e.message : String(e)}`);
        this.log.warn({ cronjob: cj.metadata.name, err: e }, 'could not create job');
        return active;
      }
      made = await this.jobsRc.get(cj.metadata.namespace, job.metadata.name!);
    }
    status.lastScheduleTime = isoSeconds(due);
    return made && !active.some((j) => j.metadata.uid === made!.metadata.uid) ? [...active, made] : active;
  }

  private async cleanupHistory(cj: KObject, owned: KObject[]): Promise<void> {
    const spec = section(cj, 'spec');
    for (const [kind, limit] of [['Complete', num(spec.successfulJobsHistoryLimit, 3)], ['Failed', num(spec.failedJobsHistoryLimit, 1)]] as const) {
      const finished = owned.filter((j) => finishedAs(j) === kind && !j.metadata.deletionTimestamp).sort((a, b) => startOf(a) - startOf(b));
      for (const j of finished.slice(0, Math.max(0, finished.length - limit))) {
        try {
          await this.jobsRc.delete(j.metadata.namespace, j.metadata.name!, { propagationPolicy: 'Background', preconditions: { uid: j.metadata.uid } });
          this.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${j.metadata.name}`);
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }
    }
  }
}

const isoSeconds = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');

const startOf = (j: KObject) => Date.parse(String(section(j, 'status').startTime ?? j.metadata.creationTimestamp ?? '')) || 0;

function jobReference(j: KObject): Obj {
  return { kind: 'Job', namespace: j.metadata.namespace, name: j.metadata.name, uid: j.metadata.uid, apiVersion: 'batch/v1', resourceVersion: j.metadata.resourceVersion };
}

/** The Job for the run scheduled at `due`. */
export function jobFromTemplate(cj: KObject, due: Date): KObject {
  const template = obj(section(cj, 'spec').jobTemplate);
  const meta = obj(template.metadata);
  const annotations = { ...(obj(meta.annotations) as Record<string, string>), [CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION]: isoSeconds(due) };
  const metadata: KObject['metadata'] = {
    name: `${cj.metadata.name}-${Math.floor(due.getTime() / 60_000)}`,
    namespace: cj.metadata.namespace,
    annotations,
    ownerReferences: [controllerRef(cj)],
  };
  if (isPlainObject(meta.labels)) metadata.labels = { ...(meta.labels as Record<string, string>) };
  return { apiVersion: 'batch/v1', kind: 'Job', metadata, spec: structuredClone(obj(template.spec)) };
}
