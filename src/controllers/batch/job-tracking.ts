// Pod finalizer tracking, as kube's Job controller does it: a finished pod
// keeps the `batch.kubernetes.io/job-tracking` finalizer until the Job's
// status has counted it, so a pod deleted early (garbage collection, a user)
// is still counted, and counted exactly once across crashes:
//   1. its uid goes into status.uncountedTerminatedPods (a durable record),
//   2. the finalizer is removed from the pod,
//   3. the uid moves from uncounted into the succeeded / failed counts.
// Each step is a guarded write; a pass interrupted anywhere resumes from what
// the status says.

import { isNotFound } from '../../api/errors.js';
import { clone, isPlainObject, type KObject } from '../../api/object.js';
import { section } from '../../api/core/columns.js';
import type { ResourceClient } from '../../client/types.js';
import { completionIndex, formatIndexes, hasTrackingFinalizer, isSucceeded, isTerminated, parseIndexes } from './job-pods.js';
import { JOB_TRACKING_FINALIZER } from './resources.js';

type Obj = Record<string, unknown>;
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const num = (v: unknown) => (typeof v === 'number' ? v : 0);

/** Removes the tracking finalizer from a pod; a pod already gone is fine. */
export async function releasePod(pods: ResourceClient, pod: KObject): Promise<void> {
  if (!hasTrackingFinalizer(pod)) return;
  const finalizers = (pod.metadata.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER);
  try {
    await pods.patch(pod.metadata.namespace, pod.metadata.name!, 'json', [
      { op: 'test', path: '/metadata/uid', value: pod.metadata.uid },
      { op: 'replace', path: '/metadata/finalizers', value: finalizers },
    ]);
  } catch (e) {
    if (!isNotFound(e) && (e as { code?: number }).code !== 422 && (e as { code?: number }).code !== 409) throw e;
  }
}

/** Counts finished pods into the job's status; returns the job as last written (or as given). */
export async function trackFinishedPods(jobs: ResourceClient, pods: ResourceClient, job: KObject, seen: readonly KObject[]): Promise<KObject> {
  const status = clone(section(job, 'status'));
  const uncounted = isPlainObject(status.uncountedTerminatedPods) ? status.uncountedTerminatedPods : {};
  const succeeded = new Set(strings(uncounted.succeeded));
  const failed = new Set(strings(uncounted.failed));
  const indexed = section(job, 'spec').completionMode === 'Indexed';
  const completed = parseIndexes(status.completedIndexes);
  let recorded = false;
  for (const p of seen) {
    const uid = p.metadata.uid ?? '';
    if (!hasTrackingFinalizer(p) || !isTerminated(p) || succeeded.has(uid) || failed.has(uid)) continue;
    if (isSucceeded(p)) {
      succeeded.add(uid);
      const i = completionIndex(p);
      if (indexed && i !== undefined) completed.add(i);
    } else failed.add(uid);
    recorded = true;
  }
  let current = job;
  if (recorded) {
    status.uncountedTerminatedPods = { succeeded: [...succeeded], failed: [...failed] };
    if (indexed) status.completedIndexes = formatIndexes(completed);
    current = await jobs.updateStatus(job.metadata.namespace, { ...job, status });
  }
  if (succeeded.size + failed.size === 0) return current;
  const pending = new Set([...succeeded, ...failed]);
  await Promise.all(seen.filter((p) => pending.has(p.metadata.uid ?? '')).map((p) => releasePod(pods, p)));
  const next: Obj = { ...section(current, 'status'), uncountedTerminatedPods: {} };
  // An Indexed job counts each index once, however many pods succeeded for it.
  next.succeeded = indexed ? completed.size : num(status.succeeded) + succeeded.size;
  next.failed = num(status.failed) + failed.size;
  if (!next.succeeded) delete next.succeeded;
  if (!next.failed) delete next.failed;
  return jobs.updateStatus(job.metadata.namespace, { ...current, status: next });
}
