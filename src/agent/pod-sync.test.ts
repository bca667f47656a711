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
