// The CronJob controller with a clock the test drives: a Job named
// `<cronjob>-<minutes>` at each scheduled time, Forbid and Replace
// concurrency, history limits, lastScheduleTime / lastSuccessfulTime, and
// schedules evaluated in spec.timeZone.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KObject } from '../../api/object.js';
import { eventually } from '../../client/testing.js';
import { eventsFor, startWorkloadEnv, type WorkloadTestEnv } from '../apps/testing.js';
import type { Clock } from './job-controller.js';
import { CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION, CRON_JOBS, JOBS } from './resources.js';

type Obj = Record<string, unknown>;

class TestClock implements Clock {
  t = Date.now();
  now(): number {
    return this.t;
  }
}

const MINUTE = 60_000;

function cronJob(ns: string, name: string, schedule: string, spec: Obj = {}, exit?: number): KObject {
  const annotations = exit === undefined ? {} : { 'workplane.dev/simulate-exit-code': String(exit) };
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: ns },
    spec: {
      schedule,
      jobTemplate: { metadata: { labels: { cron: name } }, spec: { template: { metadata: { annotations }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1' }] } } } },
      ...spec,
    },
  };
}

describe('cronjob controller', () => {
  let env: WorkloadTestEnv;
  const clock = new TestClock();
  before(async () => {
    env = await startWorkloadEnv({ nodes: 2, clock });
    clock.t = Date.now();
  });
  after(async () => {
    await env.close();
  });

  const cronJobs = () => env.api.client.resource(CRON_JOBS);
  const jobs = () => env.api.client.resource(JOBS);
  let pokes = 0;
  /** A metadata change makes the controller look again at the (test) time. */
  const poke = (ns: string, name: string) => cronJobs().patch(ns, name, 'merge', { metadata: { annotations: { poke: String(++pokes) } } });
  const jobsOf = async (ns: string) => (await jobs().list(ns)).items.sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
  const st = (o: KObject | undefined) => (o?.status ?? {}) as Obj;

  it('creates <name>-<minutes> at the scheduled time; Forbid skips while one runs; Replace swaps it', async () => {
    const ns = 'cron';
    await cronJobs().create(ns, cronJob(ns, 'tick', '*/5 * * * *', { concurrencyPolicy: 'Forbid' }));
    await poke(ns, 'tick');
    const first = Math.ceil((clock.t + 1000) / (5 * MINUTE)) * 5 * MINUTE;
    clock.t = first + 1000;
    await poke(ns, 'tick');
    const name = `tick-${first / MINUTE}`;
    await eventually(async () => (await jobsOf(ns)).map((j) => j.metadata.name).join() === name, `job ${name}`);
    const j = (await jobs().get(ns, name))!;
    assert.equal(j.metadata.annotations?.[CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION], new Date(first).toISOString().replace('.000Z', 'Z'));
    assert.equal(j.metadata.labels?.cron, 'tick');
    assert.equal(j.metadata.ownerReferences?.[0].kind, 'CronJob');
    await eventually(async () => {
      const s = st(await cronJobs().get(ns, 'tick'));
      return s.lastScheduleTime === new Date(first).toISOString().replace('.000Z', 'Z') && (s.active as Obj[] | undefined)?.[0]?.name === name;
    }, 'status.active and lastScheduleTime');

    clock.t = first + 5 * MINUTE + 1000;
    await poke(ns, 'tick');
    await eventually(async () => (await eventsFor(env.api, ns, 'tick')).some((e) => e.startsWith('JobAlreadyActive: Not starting job because prior execution is running and concurrency policy is Forbid')), 'forbid event');
    assert.equal((await jobsOf(ns)).length, 1);

    await cronJobs().patch(ns, 'tick', 'merge', { spec: { concurrencyPolicy: 'Replace' } });
    const second = `tick-${(first + 5 * MINUTE) / MINUTE}`;
    await eventually(async () => (await jobsOf(ns)).filter((x) => !x.metadata.deletionTimestamp).map((x) => x.metadata.name).join() === second, 'replaced');
    const events = await eventsFor(env.api, ns, 'tick');
    assert.ok(events.includes(`SuccessfulDelete: Deleted job ${name}`), events.join('\n'));
    assert.ok(events.includes(`SuccessfulCreate: Created job ${second}`), events.join('\n'));
  });

  it('keeps successfulJobsHistoryLimit finished jobs and records lastSuccessfulTime', async () => {
    const ns = 'history';
    await cronJobs().create(ns, cronJob(ns, 'often', '* * * * *', { successfulJobsHistoryLimit: 1 }, 0));
    const start = Math.ceil((clock.t + 1000) / MINUTE) * MINUTE;
    for (let i = 0; i < 3; i++) {
      clock.t = start + i * MINUTE + 1000;
      await poke(ns, 'often');
      const name = `often-${start / MINUTE + i}`;
      // A generous bound (the full suite loads both cores), not a timing assertion; a failure says where the job stood.
      await eventually(async () => {
        const j = await jobs().get(ns, name);
        return ((j?.status as { conditions?: Obj[] } | undefined)?.conditions ?? []).some((c) => c.type === 'Complete' && c.status === 'True');
      }, `${name} complete`, 120_000).catch(async (e: Error) => {
        const pods = (await env.api.client.resource({ group: '', version: 'v1', resource: 'pods' }).list(ns)).items;
        const where = { jobs: (await jobsOf(ns)).map((j) => ({ name: j.metadata.name, deleting: !!j.metadata.deletionTimestamp, status: j.status })), pods: pods.map((p) => ({ name: p.metadata.name, node: (p.spec as Obj | undefined)?.nodeName, phase: st(p).phase })) };
        throw new Error(`${e.message}: ${JSON.stringify(where)}`);
      });
    }
    await poke(ns, 'often');
    await eventually(async () => (await jobsOf(ns)).filter((j) => !j.metadata.deletionTimestamp).length === 1, 'history trimmed to 1');
    assert.equal((await jobsOf(ns)).at(-1)!.metadata.name, `often-${start / MINUTE + 2}`);
    assert.ok(typeof st(await cronJobs().get(ns, 'often')).lastSuccessfulTime === 'string');
    assert.ok((await eventsFor(env.api, ns, 'often')).some((e) => e.startsWith('SawCompletedJob: Saw completed job: often-')));
  });

  it('evaluates the schedule in spec.timeZone; suspend stops new runs', async () => {
    const ns = 'zones';
    await cronJobs().create(ns, cronJob(ns, 'tokyo', '0 9 * * *', { timeZone: 'Asia/Tokyo', suspend: true }));
    // 09:00 in Tokyo is 00:00 UTC.
    const midnight = Math.ceil((clock.t + 1000) / (24 * 60 * MINUTE)) * 24 * 60 * MINUTE;
    clock.t = midnight + 1000;
    await poke(ns, 'tokyo');
    assert.equal((await jobsOf(ns)).length, 0, 'suspended: nothing runs');
    await cronJobs().patch(ns, 'tokyo', 'merge', { spec: { suspend: false } });
    await eventually(async () => (await jobsOf(ns)).length === 1, 'job at 09:00 Tokyo');
    const [j] = await jobsOf(ns);
    assert.equal(j.metadata.annotations?.[CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION], new Date(midnight).toISOString().replace('.000Z', 'Z'));
  });
});
