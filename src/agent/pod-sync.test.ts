import assert from 'node:assert/strict';
import { text } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { podStatusCell } from '../api/core/pod-table.js';
import { ApiError } from '../api/errors.js';
import { eventually } from '../client/testing.js';
import { condition, containerStatuses, pod, SECRETS, startAgentHarness, statusOf, type AgentHarness } from './testing.js';

describe('node agent: pod sync (simulated runtime)', () => {
  let h: AgentHarness;
  before(async () => {
    h = await startAgentHarness({ nodes: 2 });
  });
  after(() => h.close());

  const get = (name: string) => h.pods.get('default', name);

  it('runs a bound pod: Running, Ready, container statuses, addresses', async () => {
    await h.pods.create('default', pod('web', { containers: [{ name: 'app', image: 'nginx:1.27' }, { name: 'side', image: 'busybox' }] }));
    await eventually(async () => podStatusCell((await get('web'))!) === 'Running' && condition(await get('web'), 'Ready')?.status === 'True', 'pod running and ready');
    const p = (await get('web'))!;
    const s = statusOf(p);
    assert.equal(s.phase, 'Running');
    assert.equal(s.hostIP, '10.0.0.1');
    assert.match(String(s.podIP), /^10\.0\.0\.\d+$/);
    assert.deepEqual(s.podIPs, [{ ip: s.podIP }]);
    assert.equal(s.qosClass, 'BestEffort');
    assert.ok(s.startTime);
    for (const type of ['PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready', 'PodScheduled']) {
      assert.equal(condition(p, type)?.status, 'True', type);
      assert.ok(condition(p, type)?.lastTransitionTime, `${type} lastTransitionTime`);
    }
    const cs = containerStatuses(p);
    assert.deepEqual(cs.map((c) => c.name), ['app', 'side']);
    for (const c of cs) {
      assert.equal(c.ready, true);
      assert.equal(c.started, true);
      assert.equal(c.restartCount, 0);
      assert.match(String(c.containerID), /^simulated:\/\/[0-9a-f]{64}$/);
      assert.ok((c.state as { running?: { startedAt?: string } }).running?.startedAt);
    }
    assert.equal(cs[0].image, 'nginx:1.27');
    assert.match(String(cs[0].imageID), /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);

    const logs = await text(await h.agent.logs('default', 'web', { container: 'app' }));
    assert.equal(logs, 'simulated container app started\n');
    await assert.rejects(h.agent.logs('default', 'web', {}), (e: ApiError) => e.code === 400 && e.message === 'a container name must be specified for pod web, choose one of: [app side]');
    await assert.rejects(h.agent.logs('default', 'web', { container: 'nope' }), /container nope is not valid for pod web/);
    await assert.rejects(h.agent.logs('default', 'web', { container: 'app', previous: true }), /previous terminated container "app" in pod "web" not found/);
    await assert.rejects(h.agent.logs('default', 'ghost', {}), (e: ApiError) => e.code === 404);
  });

  it('ignores pods bound to nodes it does not serve', async () => {
    await h.pods.create('default', pod('elsewhere', { nodeName: 'other-node' }));
    await h.pods.create('default', pod('here', { nodeName: 'node-1' }));
    await eventually(async () => statusOf(await get('here')).phase === 'Running', 'pod on node-1 running');
    assert.equal(statusOf(await get('here')).hostIP, '10.0.1.1');
    assert.equal(statusOf(await get('elsewhere')).phase, 'Pending');
    assert.equal(condition(await get('elsewhere'), 'Ready'), undefined);
  });

  it('keeps a pod in CreateContainerConfigError until its Secret appears, then starts it with the env', async () => {
    const env = [
      { name: 'URL', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'url' } } },
      { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'GREETING', value: 'hello $(POD)' },
    ];
    await h.pods.create('default', pod('needs-secret', { containers: [{ name: 'app', image: 'app:1', env }] }));
    const waitingOf = async () => (containerStatuses(await get('needs-secret'))[0]?.state as { waiting?: { reason: string; message: string } })?.waiting;
    await eventually(async () => (await waitingOf())?.reason === 'CreateContainerConfigError', 'config error');
    assert.equal((await waitingOf())!.message, 'secret "db-credentials" not found');
    assert.equal(podStatusCell((await get('needs-secret'))!), 'CreateContainerConfigError');
    assert.equal(statusOf(await get('needs-secret')).phase, 'Pending');

    const secrets = h.api.client.resource(SECRETS);
    await secrets.create('default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-credentials' }, stringData: { user: 'u' } });
    await eventually(async () => (await waitingOf())?.message === "couldn't find key url in Secret default/db-credentials", 'missing key reported');

    const s = (await secrets.get('default', 'db-credentials'))!;
    await secrets.update('default', { ...s, stringData: { url: 'postgres://db' } });
    await eventually(async () => statusOf(await get('needs-secret')).phase === 'Running', 'pod starts once the key exists');
    const launch = h.runtime.launches.find((l) => l.name === 'needs-secret')!;
    assert.deepEqual(launch.containers[0].env, [
      { name: 'URL', value: 'postgres://db' },
      { name: 'POD', value: 'needs-secret' },
      { name: 'GREETING', value: 'hello needs-secret' },
    ]);
  });

  it('crash-loops a container told to fail: CrashLoopBackOff, restart count climbing', async () => {
    await h.pods.create('default', pod('crasher', {}, { annotations: { 'workplane.dev/simulate-exit-code': '1' } }));
    await eventually(async () => Number(containerStatuses(await get('crasher'))[0]?.restartCount ?? 0) >= 3, 'three restarts', 15_000);
    await eventually(async () => podStatusCell((await get('crasher'))!) === 'CrashLoopBackOff', 'CrashLoopBackOff shown');
    const p = (await get('crasher'))!;
    const c = containerStatuses(p)[0];
    assert.equal(statusOf(p).phase, 'Running');
    assert.match(String((c.state as { waiting: { message: string } }).waiting.message), /^back-off \d+ms restarting failed container=app pod=crasher_default\(/);
    assert.deepEqual({ ...(c.lastState as { terminated: object }).terminated, startedAt: 0, finishedAt: 0, containerID: 0 }, {
      exitCode: 1,
      reason: 'Error',
      startedAt: 0,
      finishedAt: 0,
      containerID: 0,
    });
    assert.equal(condition(p, 'Ready')?.status, 'False');
    const previous = await text(await h.agent.logs('default', 'crasher', { previous: true }));
    assert.match(previous, /simulated container app exiting with code 1/);
  });

  it('completes a pod that exits 0 with restartPolicy Never, and fails one that exits 2', async () => {
    const annotations = (code: string) => ({ 'workplane.dev/simulate-exit-code': code });
    await h.pods.create('default', pod('job-ok', { restartPolicy: 'Never' }, { annotations: annotations('0') }));
    await h.pods.create('default', pod('job-bad', { restartPolicy: 'OnFailure' }, { annotations: { ...annotations('2'), 'workplane.dev/simulate-exit-code.app': '0' } }));
    await h.pods.create('default', pod('job-fail', { restartPolicy: 'Never' }, { annotations: annotations('2') }));
    await eventually(async () => statusOf(await get('job-ok')).phase === 'Succeeded', 'succeeded');
    await eventually(async () => statusOf(await get('job-bad')).phase === 'Succeeded', 'per-container override');
    await eventually(async () => statusOf(await get('job-fail')).phase === 'Failed', 'failed');
    assert.equal(podStatusCell((await get('job-ok'))!), 'Completed');
    assert.equal(podStatusCell((await get('job-fail'))!), 'Error');
    assert.equal(condition(await get('job-ok'), 'Ready')?.reason, 'PodCompleted');
  });

  it('restarts a container whose image changed, with kubelet\'s events, and leaves its neighbour alone', async () => {
    await h.pods.create('default', pod('web-image', { containers: [{ name: 'nginx', image: 'nginx:1.25' }, { name: 'side', image: 'busybox' }] }));
    await eventually(async () => condition(await get('web-image'), 'Ready')?.status === 'True', 'running and ready');
    const [before, side] = containerStatuses(await get('web-image'));
    await h.pods.patch('default', 'web-image', 'strategic', { spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }] } });
    await eventually(async () => {
      const c = containerStatuses(await get('web-image'))[0];
      return c.restartCount === 1 && c.ready === true && !!(c.state as { running?: object }).running;
    }, 'restarted with the new image');
    const p = (await get('web-image'))!;
    const [after, sideAfter] = containerStatuses(p);
    assert.equal(after.image, 'nginx:1.26');
    assert.match(String(after.imageID), /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    assert.notEqual(after.imageID, before.imageID);
    assert.match(String(after.containerID), /^simulated:\/\/[0-9a-f]{64}$/);
    assert.notEqual(after.containerID, before.containerID);
    const startedAt = (c: Record<string, unknown>) => Date.parse((c.state as { running: { startedAt: string } }).running.startedAt);
    assert.ok(startedAt(after) >= startedAt(before));
    const last = (after.lastState as { terminated: Record<string, unknown> }).terminated;
    assert.equal(last.exitCode, 0);
    assert.equal(last.reason, 'Completed');
    assert.equal(last.containerID, before.containerID);
    assert.deepEqual(sideAfter, side, 'the other container runs on untouched');
    assert.equal(statusOf(p).phase, 'Running');
    assert.equal(condition(p, 'Ready')?.status, 'True');

    const events = h.api.client.resource({ group: '', version: 'v1', resource: 'events' });
    const expected = [
      'Killing: Container nginx definition changed, will be restarted',
      'Pulling: Pulling image "nginx:1.26"',
      'Pulled: Successfully pulled image "nginx:1.26" in 0s (0s including waiting)',
      'Created: Created container: nginx',
      'Started: Started container nginx',
    ];
    let seen: string[] = [];
    await eventually(async () => {
      const list = await events.list('default', { fieldSelector: 'involvedObject.name=web-image' });
      seen = list.items.map((e) => `${String(e.reason)}: ${String(e.message)}`);
      return expected.every((x) => seen.includes(x));
    }, 'kubelet events').catch(() => assert.fail(`events: ${JSON.stringify(seen)}`));
    assert.ok(!seen.includes('Killing: Container side definition changed, will be restarted'));
    assert.ok(!seen.includes('Pulling: Pulling image "busybox"'));
  });

  it('restarts on a new image even with restartPolicy Never, and leaves a finished container be', async () => {
    await h.pods.create('default', pod('never', { restartPolicy: 'Never', containers: [{ name: 'app', image: 'app:1' }, { name: 'once', image: 'tool:1' }] }, { annotations: { 'workplane.dev/simulate-exit-code.once': '0' } }));
    await eventually(async () => {
      const cs = containerStatuses(await get('never'));
      return !!(cs[0]?.state as { running?: object })?.running && !!(cs[1]?.state as { terminated?: object })?.terminated;
    }, 'app running, once done');
    const once = containerStatuses(await get('never'))[1];
    await h.pods.patch('default', 'never', 'strategic', { spec: { containers: [{ name: 'app', image: 'app:2' }, { name: 'once', image: 'tool:2' }] } });
    await eventually(async () => containerStatuses(await get('never'))[0].image === 'app:2', 'app restarted');
    const [app, onceAfter] = containerStatuses(await get('never'));
    assert.equal(app.restartCount, 1);
    assert.deepEqual(onceAfter.state, once.state);
    assert.equal(onceAfter.restartCount, 0);
    assert.equal(statusOf(await get('never')).phase, 'Running');
  });

  it('terminates a deleted pod and removes its object', async () => {
    await h.pods.create('default', pod('doomed'));
    await eventually(async () => statusOf(await get('doomed')).phase === 'Running', 'running');
    const uid = (await get('doomed'))!.metadata.uid!;
    const deleted = await h.pods.delete('default', 'doomed');
    assert.ok(deleted.metadata.deletionTimestamp, 'a running pod is deleted gracefully');
    await eventually(async () => (await get('doomed')) === undefined, 'pod object gone');
    await eventually(() => h.runtime.status(uid) === undefined, 'runtime forgot the pod');
  });
});
