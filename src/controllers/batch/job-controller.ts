// The Job controller: runs pods from the template until `completions` of them
// succeed (NonIndexed) or every index 0..completions-1 has (Indexed), at most
// `parallelism` at once; fails the job past backoffLimit or
// activeDeadlineSeconds; suspends and resumes; counts finished pods through
// the job-tracking finalizer (job-tracking.ts); and reports status and
// conditions as kube does (SuccessCriteriaMet → Complete, FailureTarget →
// Failed), which `kubectl wait --for=condition=complete` reads.
//
// Level-based: each pass re-reads the informers, counts, decides, acts.

import type { KObject } from '../../api/object.js';
import { section } from '../../api/core/columns.js';
import { controllerFor, type Controller } from '../../client/controller.js';
import { EventRecorder } from '../../client/event-recorder.js';
import type { Informer } from '../../client/informer.js';
import { stderrLogger, type Logger } from '../../client/logger.js';
import { SharedInformers } from '../../client/shared-informers.js';
import type { Client, ResourceClient } from '../../client/types.js';
import { Expectations } from '../compute/expectations.js';
import { byExpendability, isReady } from '../compute/pod-state.js';
import { PodControl } from '../apps/pod-control.js';
import { REASONS, isFinishedJob, setJobCondition, trueCondition } from './job-conditions.js';
import { completionIndex, isActivePod, isFailed, jobPod, parseIndexes } from './job-pods.js';
import { releasePod, trackFinishedPods } from './job-tracking.js';
import { JOBS, JOB_OWNER_INDEX, PODS, jobOwnerIndexer } from './resources.js';

export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

export interface JobControllerOptions {
  informers?: SharedInformers;
  log?: Logger;
  workers?: number;
  recorder?: EventRecorder;
  clock?: Clock;
  /** Delay before replacing a failed pod, doubling per failure up to 6 minutes (kube: 10 s). */
  podFailureBackoffMs?: number;
}

export function jobController(client: Client, opts: JobControllerOptions = {}): Controller {
  const log = opts.log ?? stderrLogger;
  const informers = opts.informers ?? new SharedInformers(client, { log });
  const pods = informers.informerFor(PODS, { [JOB_OWNER_INDEX]: jobOwnerIndexer });
  const jobs = informers.informerFor(JOBS);
  const recorder = opts.recorder ?? new EventRecorder(client, { component: 'job-controller', log });
  const r = new JobReconciler(client, jobs, pods, recorder, opts.clock ?? systemClock, opts.podFailureBackoffMs ?? 10_000);
  pods.addHandler(r.expectationsHandler());
  // Pods map to `namespace/job` whatever the job's uid, so a gone job's pods still release their finalizers.
  return controllerFor(client, { name: 'job-controller', workers: opts.workers ?? 4, informers, log })
    .for(JOBS)
    .watches(PODS, (p) => jobOwnerIndexer(p))
    .complete(r);
}

type Obj = Record<string, unknown>;
const num = (v: unknown, d = 0) => (typeof v === 'number' ? v : d);
const MAX_BACKOFF_MS = 360_000;

export class JobReconciler {
  private readonly expectations = new Expectations();
  private readonly control: PodControl;
  private readonly jobsRc: ResourceClient;
  private readonly podsRc: ResourceClient;

  constructor(
    client: Client,
    private readonly jobs: Informer,
    private readonly pods: Informer,
    private readonly recorder: EventRecorder,
    private readonly clock: Clock,
    private readonly backoffMs: number,
  ) {
    this.control = new PodControl(client, this.expectations, recorder);
    this.jobsRc = client.resource(JOBS);
    this.podsRc = client.resource(PODS);
  }

  expectationsHandler() {
    const observe = (p: KObject, gone: boolean) => {
      for (const key of jobOwnerIndexer(p)) this.expectations.observe(key, p, gone);
    };
    return { onAdd: (p: KObject) => observe(p, false), onUpdate: (_o: KObject, p: KObject) => observe(p, false), onDelete: (p: KObject) => observe(p, true) };
  }

  async reconcile(key: string): Promise<{ requeueAfter: number } | void> {
    const found = this.jobs.getByKey(key);
    const all = this.pods.byIndex(JOB_OWNER_INDEX, key);
    const uid = found?.metadata.uid;
    // Pods of a job that is gone (or of an older job of the same name) only need releasing.
    const strays = all.filter((p) => !uid || !p.metadata.ownerReferences?.some((o) => o.controller && o.uid === uid));
    await Promise.all(strays.map((p) => releasePod(this.podsRc, p)));
    if (!found) return this.expectations.forget(key);
    const mine = this.expectations.view(key, all.filter((p) => !strays.includes(p)));
    let job = await trackFinishedPods(this.jobsRc, this.podsRc, found, mine);
    if (isFinishedJob(section(job, 'status'))) return this.afterFinish(job);
    const now = this.clock.now();
    const stamp = new Date(Math.floor(now / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    const spec = section(job, 'spec');
    const status: Obj = { ...section(job, 'status') };
    const active = mine.filter(isActivePod);
    const suspended = spec.suspend === true;
    let requeue: number | undefined;

    if (suspended) {
      if (active.length) await this.control.delete(key, job, active);
      if (!trueCondition(status, 'Suspended')) {
        setJobCondition(status, 'Suspended', 'True', REASONS.suspended, stamp);
        this.recorder.event(job, 'Normal', 'Suspended', 'Job suspended');
      }
    } else {
      if (trueCondition(status, 'Suspended')) {
        setJobCondition(status, 'Suspended', 'False', REASONS.resumed, stamp);
        this.recorder.event(job, 'Normal', 'Resumed', 'Job resumed');
        status.startTime = stamp;
      }
      if (typeof status.startTime !== 'string') status.startTime = stamp;
      const verdict = this.verdict(job, status, now);
      requeue = verdict.requeue;
      if (verdict.failure && !trueCondition(status, 'FailureTarget')) {
        setJobCondition(status, 'FailureTarget', 'True', verdict.failure, stamp);
        this.recorder.event(job, 'Warning', verdict.failure.reason, verdict.failure.message);
      }
      if (verdict.success && !trueCondition(status, 'SuccessCriteriaMet')) setJobCondition(status, 'SuccessCriteriaMet', 'True', REASONS.completionsReached, stamp);
      const ending = trueCondition(status, 'FailureTarget') ?? trueCondition(status, 'SuccessCriteriaMet');
      if (ending) {
        if (active.length) await this.control.delete(key, job, active);
      } else requeue = minDefined(requeue, await this.scale(key, job, status, mine, active, now));
    }
    const terminating = mine.filter((p) => p.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(String(section(p, 'status').phase))).length;
    const stillActive = this.expectations.view(key, mine).filter(isActivePod);
    status.active = stillActive.length;
    status.ready = stillActive.filter(isReady).length;
    status.terminating = terminating;
    if (!status.active) delete status.active;
    status.uncountedTerminatedPods ??= {};
    // The terminal condition comes once no pod of the job is left running.
    if (stillActive.length === 0 && terminating === 0) {
      const target = trueCondition(status, 'FailureTarget');
      const met = trueCondition(status, 'SuccessCriteriaMet');
      if (target) setJobCondition(status, 'Failed', 'True', { reason: target.reason!, message: target.message! }, stamp);
      else if (met) {
        setJobCondition(status, 'Complete', 'True', REASONS.completionsReached, stamp);
        status.completionTime = stamp;
        this.recorder.event(job, 'Normal', 'Completed', 'Job completed');
      }
    }
    if (JSON.stringify(status) !== JSON.stringify(section(job, 'status'))) job = await this.jobsRc.updateStatus(job.metadata.namespace, { ...job, status });
    if (isFinishedJob(status)) return this.afterFinish(job);
    return requeue === undefined ? undefined : { requeueAfter: Math.max(0, requeue) };
  }

  /** Success or failure as of now, and when to look again for a deadline. */
  private verdict(job: KObject, status: Obj, now: number): { success?: boolean; failure?: { reason: string; message: string }; requeue?: number } {
    const spec = section(job, 'spec');
    const succeeded = num(status.succeeded);
    const completions = typeof spec.completions === 'number' ? spec.completions : undefined;
    if (spec.completionMode === 'Indexed') {
      if (completions !== undefined && parseIndexes(status.completedIndexes).size >= completions) return { success: true };
    } else if (completions !== undefined ? succeeded >= completions : succeeded > 0) return { success: true };
    if (num(status.failed) > num(spec.backoffLimit, 6)) return { failure: REASONS.backoffLimitExceeded };
    const deadline = spec.activeDeadlineSeconds;
    if (typeof deadline === 'number') {
      const left = Date.parse(String(status.startTime)) + deadline * 1000 - now;
      if (left <= 0) return { failure: REASONS.deadlineExceeded };
      return { requeue: left };
    }
    return {};
  }

  /** Creates or deletes pods towards min(parallelism, what is left to do); returns a wait after recent failures. */
  private async scale(key: string, job: KObject, status: Obj, pods: KObject[], active: KObject[], now: number): Promise<number | undefined> {
    const spec = section(job, 'spec');
    const parallelism = num(spec.parallelism, 1);
    const completions = typeof spec.completions === 'number' ? spec.completions : undefined;
    const indexed = spec.completionMode === 'Indexed';
    let want: number;
    let freeIndexes: number[] = [];
    if (indexed) {
      const done = parseIndexes(status.completedIndexes);
      const running = new Set(active.map(completionIndex).filter((i): i is number => i !== undefined));
      freeIndexes = Array.from({ length: completions ?? 0 }, (_, i) => i).filter((i) => !done.has(i) && !running.has(i));
      want = Math.min(parallelism, (completions ?? 0) - done.size);
    } else if (completions !== undefined) want = Math.min(parallelism, completions - num(status.succeeded));
    else want = num(status.succeeded) > 0 ? 0 : parallelism;
    const diff = want - active.length;
    if (diff < 0) {
      await this.control.delete(key, job, [...active].sort(byExpendability).slice(0, -diff));
      return undefined;
    }
    if (diff === 0) return undefined;
    // Replacing failed pods waits 10 s, 20 s, 40 s... after the last failure, as kube's pod failure backoff.
    const failures = num(status.failed);
    if (failures > 0) {
      const last = lastFailureTime(pods);
      const wait = Math.min(this.backoffMs * 2 ** (failures - 1), MAX_BACKOFF_MS);
      if (last !== undefined && now - last < wait) return last + wait - now;
    }
    const count = indexed ? Math.min(diff, freeIndexes.length) : diff;
    const made = await this.control.create(key, job, Array.from({ length: count }, (_, i) => jobPod(job, indexed ? freeIndexes[i] : undefined)));
    return made.failure ? 1000 : undefined;
  }

  /** Finished: release every pod's finalizer, and delete the job once ttlSecondsAfterFinished has passed. */
  private async afterFinish(job: KObject): Promise<{ requeueAfter: number } | void> {
    const key = `${job.metadata.namespace}/${job.metadata.name}`;
    await Promise.all(this.pods.byIndex(JOB_OWNER_INDEX, key).map((p) => releasePod(this.podsRc, p)));
    const ttl = section(job, 'spec').ttlSecondsAfterFinished;
    if (typeof ttl !== 'number') return;
    const st = section(job, 'status');
    const done = Date.parse(String(st.completionTime ?? (st.conditions as Obj[] | undefined)?.find((c) => c.type === 'Failed')?.lastTransitionTime ?? ''));
    const left = Number.isNaN(done) ? 0 : done + ttl * 1000 - this.clock.now();
    if (left > 0) return { requeueAfter: left };
    try {
      await this.jobsRc.delete(job.metadata.namespace, job.metadata.name!, { propagationPolicy: 'Background', preconditions: { uid: job.metadata.uid } });
    } catch {
      /* gone already */
    }
  }
}

function lastFailureTime(pods: KObject[]): number | undefined {
  let last: number | undefined;
  for (const p of pods) {
    if (!isFailed(p)) continue;
    const st = section(p, 'status');
    const statuses = Array.isArray(st.containerStatuses) ? (st.containerStatuses as Obj[]) : [];
    for (const cs of statuses) {
      const t = Date.parse(String(((cs.state as Obj | undefined)?.terminated as Obj | undefined)?.finishedAt ?? ''));
      if (!Number.isNaN(t)) last = Math.max(last ?? 0, t);
    }
    const deleted = Date.parse(p.metadata.deletionTimestamp ?? '');
    if (!Number.isNaN(deleted)) last = Math.max(last ?? 0, deleted);
  }
  return last;
}

const minDefined = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
