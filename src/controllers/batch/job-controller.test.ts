// The Job controller against a real in-process registry, the real scheduler
// and simulated nodes whose containers exit as the pod's
// workplane.dev/simulate-* annotations say: completions and parallelism,
// Indexed jobs, the backoff limit, the active deadline, suspend/resume, pod
// finalizer tracking, and release of pods whose job is gone.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KObject } from '../../api/object.js';
import { eventually } from '../../client/testing.js';
import { conditionOf, eventsFor, startWorkloadEnv, type WorkloadTestEnv } from '../apps/testing.js';
import { JOBS, JOB_TRACKING_FINALIZER, PODS } from './resources.js';

type Obj = Record<string, unknown>;

function job(ns: string, name: string, spec: Obj = {}, exit?: number, runSeconds?: number): KObject {
  const annotations: Record<string, string> = {};
  if (exit !== undefined) annotations['workplane.dev/simulate-exit-code'] = String(exit);
  if (runSeconds !== undefined) annotations['workplane.dev/simulate-run-seconds'] = String(runSeconds);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: ns },
    spec: { template: { metadata: { annotations }, spec: { restartPolicy: 'Never', containers: [{ name: 'work', image: 'busybox:1' }] } }, ...spec },
  };
}

describe('job controller', () => {
  let env: WorkloadTestEnv;
  before(async () => {
    env = await startWorkloadEnv({ nodes: 3, podFailureBackoffMs: 20 });
  });
  after(async () => {
    await env.close();
  });

  const jobs = () => env.api.client.resource(JOBS);
  const pods = () => env.api.client.resource(PODS);
  const get = (ns: string, name: string) => jobs().get(ns, name);
  const st = (o: KObject | undefined) => (o?.status ?? {}) as Obj;
  const finished = (ns: string, name: string, type: 'Complete' | 'Failed') => async () => conditionOf(await get(ns, name), type)?.status === 'True';
  const podsOf = async (ns: string, name: string) => (await pods().list(ns, { labelSelector: `batch.kubernetes.io/job-name=${name}` })).items;

  it('runs completions 3 with parallelism 2 to Complete; kube labels, selector, conditions and counts', async () => {
    const ns = 'basic';
    const j = await jobs().create(ns, job(ns, 'pi', { completions: 3, parallelism: 2 }, 0, 0.2));
    const uid = j.metadata.uid!;
    assert.deepEqual((j.spec as Obj).selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    assert.equal(j.metadata.labels?.['batch.kubernetes.io/job-name'], 'pi');
    let maxActive = 0;
    const sample = setInterval(() => void get(ns, 'pi').then((x) => (maxActive = Math.max(maxActive, Number(st(x).active ?? 0)))), 2);
    await eventually(finished(ns, 'pi', 'Complete'), 'complete', 30_000);
    clearInterval(sample);
    assert.ok(maxActive <= 2, `parallelism bounds active pods: saw ${maxActive}`);
    const done = (await get(ns, 'pi'))!;
    const s = st(done);
    assert.equal(s.succeeded, 3);
    assert.equal(s.failed, undefined);
    assert.equal(s.active, undefined);
    assert.deepEqual(s.uncountedTerminatedPods, {});
    assert.ok(typeof s.startTime === 'string' && typeof s.completionTime === 'string');
    for (const t of ['SuccessCriteriaMet', 'Complete']) {
      const c = conditionOf(done, t)!;
      assert.deepEqual([c.status, c.reason, c.message], ['True', 'CompletionsReached', 'Reached expected number of succeeded pods']);
    }
    const ps = await podsOf(ns, 'pi');
    assert.equal(ps.filter((p) => (p.status as Obj).phase === 'Succeeded').length, 3);
    for (const p of ps) {
      assert.equal(p.metadata.labels?.['batch.kubernetes.io/controller-uid'], uid);
      assert.ok(!(p.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER), 'finalizer released once counted');
      assert.deepEqual(p.metadata.ownerReferences?.[0], { apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid, controller: true, blockOwnerDeletion: true });
    }
    await eventually(async () => (await eventsFor(env.api, ns, 'pi')).includes('Completed: Job completed'), 'completed event');
  });

  it('Indexed: one pod per index with its hostname and JOB_COMPLETION_INDEX; completedIndexes', async () => {
    const ns = 'indexed';
    await jobs().create(ns, job(ns, 'idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }, 0));
    await eventually(finished(ns, 'idx', 'Complete'), 'complete', 30_000);
    const done = (await get(ns, 'idx'))!;
    assert.equal(st(done).completedIndexes, '0-2');
    assert.equal(st(done).succeeded, 3);
    const ps = (await podsOf(ns, 'idx')).sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
    assert.deepEqual(ps.map((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index']), ['0', '1', '2']);
    ps.forEach((p, i) => {
      assert.match(p.metadata.name!, new RegExp(`^idx-${i}-[a-z0-9]{5}$`));
      assert.equal((p.spec as Obj).hostname, `idx-${i}`);
      const env = ((p.spec as { containers: { env: Obj[] }[] }).containers[0].env ?? []).find((e) => e.name === 'JOB_COMPLETION_INDEX');
      assert.deepEqual(env?.valueFrom, { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } });
    });
  });

  it('fails past backoffLimit: FailureTarget then Failed, BackoffLimitExceeded', async () => {
    const ns = 'backoff';
    await jobs().create(ns, job(ns, 'bad', { backoffLimit: 2 }, 1));
    await eventually(finished(ns, 'bad', 'Failed'), 'failed', 30_000);
    const done = (await get(ns, 'bad'))!;
    assert.equal(st(done).failed, 3);
    for (const t of ['FailureTarget', 'Failed']) {
      const c = conditionOf(done, t)!;
      assert.deepEqual([c.reason, c.message], ['BackoffLimitExceeded', 'Job has reached the specified backoff limit']);
    }
    assert.equal(conditionOf(done, 'Complete'), undefined);
    assert.equal((await podsOf(ns, 'bad')).length, 3);
  });

  it('fails at activeDeadlineSeconds, deleting its running pods: DeadlineExceeded', async () => {
    const ns = 'deadline';
    await jobs().create(ns, job(ns, 'slow', { activeDeadlineSeconds: 1, parallelism: 2, completions: 2 }));
    await eventually(finished(ns, 'slow', 'Failed'), 'failed', 30_000);
    const c = conditionOf(await get(ns, 'slow'), 'Failed')!;
    assert.deepEqual([c.reason, c.message], ['DeadlineExceeded', 'Job was active longer than specified deadline']);
    await eventually(async () => (await podsOf(ns, 'slow')).length === 0, 'running pods deleted and released');
    assert.equal(st(await get(ns, 'slow')).active, undefined);
  });

  it('suspend creates no pods (Suspended JobSuspended); resume runs it to completion', async () => {
    const ns = 'suspend';
    await jobs().create(ns, job(ns, 'later', { suspend: true }, 0));
    await eventually(async () => conditionOf(await get(ns, 'later'), 'Suspended')?.reason === 'JobSuspended', 'suspended');
    assert.equal((await podsOf(ns, 'later')).length, 0);
    await jobs().patch(ns, 'later', 'merge', { spec: { suspend: false } });
    await eventually(finished(ns, 'later', 'Complete'), 'complete after resume', 30_000);
    const s = conditionOf(await get(ns, 'later'), 'Suspended')!;
    assert.deepEqual([s.status, s.reason], ['False', 'JobResumed']);
  });

  it('a running pod deleted from under the job is counted failed (its finalizer held it) and replaced', async () => {
    const ns = 'tracking';
    await jobs().create(ns, job(ns, 'keep', { backoffLimit: 3 }));
    const [p] = await eventuallyValue(async () => {
      const ps = (await podsOf(ns, 'keep')).filter((x) => (x.status as Obj).phase === 'Running');
      return ps.length ? ps : undefined;
    });
    assert.ok((p.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER));
    await pods().delete(ns, p.metadata.name!);
    await eventually(async () => st(await get(ns, 'keep')).failed === 1, 'counted as failed');
    await eventually(async () => (await pods().get(ns, p.metadata.name!)) === undefined, 'released and gone');
    await eventually(async () => (await podsOf(ns, 'keep')).some((x) => x.metadata.name !== p.metadata.name && !x.metadata.deletionTimestamp), 'replaced');
  });

  it('deleting a job releases its pods, which the garbage collector removes', async () => {
    const ns = 'delete';
    await jobs().create(ns, job(ns, 'gone', { parallelism: 2, completions: 2 }));
    await eventually(async () => (await podsOf(ns, 'gone')).length === 2, 'pods');
    await jobs().delete(ns, 'gone', { propagationPolicy: 'Background' });
    await eventually(async () => (await podsOf(ns, 'gone')).length === 0, 'pods gone', 30_000);
  });
});

async function eventuallyValue<T>(fn: () => Promise<T | undefined>): Promise<T> {
  let out: T | undefined;
  await eventually(async () => (out = await fn()) !== undefined, 'value', 30_000);
  return out!;
}
