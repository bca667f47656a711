import assert from 'node:assert/strict';
import { text } from 'node:stream/consumers';
import { afterEach, describe, it } from 'node:test';
import type { KObject } from '../../api/object.js';
import { eventually } from '../../client/testing.js';
import { runtimeContract } from './runtime-contract.js';
import { SimulatedRuntime } from './simulated-runtime.js';
import type { ContainerRuntimeStatus, PodLaunch } from './types.js';

function launch(uid: string, opts: { annotations?: Record<string, string>; restartPolicy?: PodLaunch['restartPolicy']; status?: unknown; containers?: string[] } = {}): PodLaunch {
  const pod: KObject = { metadata: { name: `pod-${uid}`, namespace: 'ns', uid, annotations: opts.annotations }, status: opts.status };
  return {
    uid,
    namespace: 'ns',
    name: `pod-${uid}`,
    nodeName: 'node-0',
    restartPolicy: opts.restartPolicy ?? 'Always',
    terminationGracePeriodSeconds: 30,
    containers: (opts.containers ?? ['app']).map((name) => ({ name, image: 'busybox', env: [], ports: [] })),
    pod,
  };
}

const state = (c: ContainerRuntimeStatus | undefined) => (c ? Object.keys(c.state)[0] : undefined);

describe('simulated runtime', () => {
  let rt: SimulatedRuntime;
  afterEach(() => rt.close());

  it('creates, then runs containers, and reports each change', async () => {
    rt = new SimulatedRuntime({ startJitterMs: 0, readyDelayMs: 20 });
    const changes: string[] = [];
    rt.onChange((uid) => changes.push(uid));
    rt.sync(launch('a', { containers: ['one', 'two'] }));
    rt.sync(launch('a', { containers: ['one', 'two'] }));
    assert.deepEqual(rt.status('a')!.containers.map((c) => c.state), [{ waiting: { reason: 'ContainerCreating' } }, { waiting: { reason: 'ContainerCreating' } }]);
    await eventually(() => state(rt.status('a')!.containers[0]) === 'running', 'running');
    const c = rt.status('a')!.containers[0];
    assert.equal(c.ready, false);
    assert.equal(c.started, true);
    await eventually(() => rt.status('a')!.containers.every((x) => x.ready), 'ready after the delay');
    assert.ok(changes.length >= 2 && changes.every((u) => u === 'a'));
    assert.equal(rt.status('a')!.terminalPhase, undefined);
  });

  it('backs off crashing containers: restarts at once, then base·2^n, capped', async () => {
    rt = new SimulatedRuntime({ startJitterMs: 0, backoffBaseMs: 40, backoffMaxMs: 80 });
    rt.sync(launch('c', { annotations: { 'workplane.dev/simulate-exit-code': '3' } }));
    const seen = new Set<string>();
    rt.onChange(() => {
      const s = rt.status('c')!.containers[0];
      if ('waiting' in s.state && s.state.waiting.reason === 'CrashLoopBackOff') seen.add(s.state.waiting.message!.split(' ')[1]);
    });
    await eventually(() => rt.status('c')!.containers[0].restartCount >= 4, 'four restarts');
    assert.deepEqual([...seen].slice(0, 2), ['40ms', '80ms']);
    const last = rt.status('c')!.containers[0].lastState!;
    assert.ok('terminated' in last && last.terminated.exitCode === 3 && last.terminated.reason === 'Error');
    const previous = await text(rt.logs('c', { container: 'app', previous: true })!);
    assert.match(previous, /started\n.*exiting with code 3\n$/);
  });

  it('honours restartPolicy: Never fails, OnFailure completes on exit 0', async () => {
    rt = new SimulatedRuntime({ startJitterMs: 0 });
    rt.sync(launch('n', { restartPolicy: 'Never', annotations: { 'workplane.dev/simulate-exit-code': '1' } }));
    rt.sync(launch('o', { restartPolicy: 'OnFailure', annotations: { 'workplane.dev/simulate-exit-code': '0', 'workplane.dev/simulate-run-seconds': '0.02' } }));
    await eventually(() => rt.status('n')?.terminalPhase === 'Failed' && rt.status('o')?.terminalPhase === 'Succeeded', 'terminal phases');
    const o = rt.status('o')!.containers[0];
    assert.ok('terminated' in o.state && o.state.terminated.reason === 'Completed');
    assert.equal(o.restartCount, 0);
  });

  it('kills gracefully, serves logs with options, and forgets removed pods', async () => {
    rt = new SimulatedRuntime({ startJitterMs: 0 });
    rt.sync(launch('k'));
    await eventually(() => state(rt.status('k')!.containers[0]) === 'running', 'running');
    const follow = rt.logs('k', { container: 'app', follow: true })!;
    const followed = text(follow);
    assert.match(await text(rt.logs('k', { container: 'app', timestamps: true })!), /^\d{4}-\d\d-\d\dT[\d:.]+Z simulated container app started\n$/);
    assert.equal(await text(rt.logs('k', { container: 'app', tailLines: 0 })!), '');
    assert.equal(await text(rt.logs('k', { container: 'app', limitBytes: 9 })!), 'simulated');
    assert.equal(rt.logs('k', { container: 'app', previous: true }), undefined);
    await rt.kill('k', 30);
    const c = rt.status('k')!.containers[0];
    assert.ok('terminated' in c.state && c.state.terminated.exitCode === 0);
    assert.equal(await followed, 'simulated container app started\nsimulated container app stopping\n');
    rt.remove('k');
    assert.equal(rt.status('k'), undefined);
    assert.equal(rt.size, 0);
  });

  it('a new image stops the running container after the kill delay, reporting the old image until then', async () => {
    rt = new SimulatedRuntime({ startJitterMs: 0, killDelayMs: 100 });
    const l = launch('i');
    rt.sync(l);
    await eventually(() => state(rt.status('i')!.containers[0]) === 'running', 'running');
    const before = rt.status('i')!.containers[0];
    rt.sync({ ...l, containers: [{ ...l.containers[0], image: 'busybox:2' }] });
    assert.equal(rt.status('i')!.containers[0].image, 'busybox', 'the old run still runs');
    assert.equal(rt.status('i')!.containers[0].containerID, before.containerID);
    await eventually(() => rt.status('i')!.containers[0].restartCount === 1, 'restarted');
    const after = rt.status('i')!.containers[0];
    assert.equal(after.image, 'busybox:2');
    assert.match(after.imageID!, /^docker\.io\/library\/busybox@sha256:/);
    assert.notEqual(after.imageID, before.imageID);
    assert.deepEqual({ ...(after.lastState as { terminated: object }).terminated, startedAt: 0, finishedAt: 0 }, { exitCode: 0, reason: 'Completed', containerID: before.containerID, startedAt: 0, finishedAt: 0 });
    assert.match(await text(rt.logs('i', { container: 'app', previous: true })!), /stopping: definition changed\n$/);
  });

  it('a new image restarts a crash-looping container at once', async () => {
    rt = new SimulatedRuntime({ startJitterMs: 0, backoffBaseMs: 60_000 });
    const l = launch('b', { annotations: { 'workplane.dev/simulate-exit-code': '1' } });
    rt.sync(l);
    await eventually(() => (rt.status('b')!.containers[0].state as { waiting?: { reason: string } }).waiting?.reason === 'CrashLoopBackOff', 'backing off');
    const count = rt.status('b')!.containers[0].restartCount;
    rt.sync({ ...l, containers: [{ ...l.containers[0], image: 'busybox:fixed' }] });
    const c = rt.status('b')!.containers[0];
    assert.equal(c.restartCount, count + 1);
    assert.equal(c.image, 'busybox:fixed');
  });

  it('adopts containers a previous agent process reported running', async () => {
    rt = new SimulatedRuntime({ startJitterMs: 0 });
    const id = `simulated://${'ab'.repeat(32)}`;
    const status = { containerStatuses: [{ name: 'app', containerID: id, restartCount: 2, ready: true, state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }] };
    rt.sync(launch('r', { status }));
    const c = rt.status('r')!.containers[0];
    assert.equal(c.containerID, id);
    assert.equal(c.restartCount, 2);
    assert.equal(c.ready, true);
    assert.deepEqual(c.state, { running: { startedAt: '2026-01-01T00:00:00Z' } });
  });

  it('does not adopt a run of an image the pod no longer names: it ends, and the new image runs', async () => {
    rt = new SimulatedRuntime({ startJitterMs: 0 });
    const id = `simulated://${'cd'.repeat(32)}`;
    const status = { containerStatuses: [{ name: 'app', image: 'busybox:old', containerID: id, restartCount: 2, ready: true, state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }] };
    rt.sync(launch('u', { status }));
    await eventually(() => state(rt.status('u')!.containers[0]) === 'running', 'running again');
    const c = rt.status('u')!.containers[0];
    assert.notEqual(c.containerID, id);
    assert.equal(c.image, 'busybox');
    assert.equal(c.restartCount, 3);
    assert.deepEqual({ ...(c.lastState as { terminated: object }).terminated, finishedAt: 0 }, { exitCode: 0, reason: 'Completed', startedAt: '2026-01-01T00:00:00Z', containerID: id, finishedAt: 0 });
  });
});

describe('simulated runtime: the runtime contract', () => {
  let rt: SimulatedRuntime | undefined;
  let seq = 0;
  afterEach(async () => {
    await rt?.close();
    rt = undefined;
  });
  runtimeContract({
    runtime: () => (rt ??= new SimulatedRuntime({ startJitterMs: 0, killDelayMs: 20 })),
    launch(containers, restartPolicy) {
      const l = launch(`contract-${++seq}`, { restartPolicy, containers: containers.map((c) => c.name) });
      const annotations: Record<string, string> = {};
      for (const c of containers) if (c.behaviour === 'exits') annotations[`workplane.dev/simulate-exit-code.${c.name}`] = '0';
      l.pod.metadata.annotations = annotations;
      l.containers = l.containers.map((c, i) => ({ ...c, image: containers[i].image }));
      return l;
    },
  });
});
