import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { podStatusCell } from '../api/core/pod-table.js';
import type { KObject } from '../api/object.js';
import { computePodStatus } from './pod-status.js';
import type { PodRuntimeStatus } from './runtime/types.js';

type Obj = Record<string, unknown>;
const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:01:00Z';

const pod = (status: Obj = { phase: 'Pending', qosClass: 'BestEffort' }, spec: Obj = {}): KObject => ({
  metadata: { name: 'web', namespace: 'default', uid: 'u' },
  spec: { nodeName: 'node-0', containers: [{ name: 'app', image: 'nginx' }], ...spec },
  status,
});
const running = (ready: boolean): PodRuntimeStatus => ({
  containers: [{ name: 'app', image: 'nginx', state: { running: { startedAt: T0 } }, ready, started: true, restartCount: 0, containerID: 'simulated://1' }],
});
const conditions = (s: Obj) => Object.fromEntries((s.conditions as Obj[]).map((c) => [c.type, c]));
const base = { hostIP: '10.0.0.1', podIP: '10.0.0.2', now: T0 };

describe('pod status', () => {
  it('reports a pod not launched yet as Pending, ContainerCreating, not ready', () => {
    const s = computePodStatus({ ...base, pod: pod() });
    assert.equal(s.phase, 'Pending');
    assert.equal(s.qosClass, 'BestEffort');
    assert.equal(s.startTime, T0);
    const c = conditions(s);
    assert.equal(c.PodReadyToStartContainers.status, 'False');
    assert.equal(c.Ready.reason, 'ContainersNotReady');
    assert.equal(c.Ready.message, 'containers with unready status: [app]');
    assert.equal(c.PodScheduled.status, 'True');
    assert.equal(podStatusCell({ ...pod(), status: s }), 'ContainerCreating');
    assert.deepEqual((s.containerStatuses as Obj[])[0], { name: 'app', state: { waiting: { reason: 'ContainerCreating' } }, lastState: {}, ready: false, restartCount: 0, image: 'nginx', imageID: '', started: false });
  });

  it('keeps lastTransitionTime while a condition holds, and sets it when it flips', () => {
    const first = computePodStatus({ ...base, pod: pod(), runtime: running(false) });
    assert.equal(first.phase, 'Running');
    const second = computePodStatus({ ...base, now: T1, pod: pod(first), runtime: running(false) });
    assert.deepEqual(second, first, 'nothing changed: nothing to write');
    const third = computePodStatus({ ...base, now: T1, pod: pod(first), runtime: running(true) });
    assert.equal(conditions(third).Ready.status, 'True');
    assert.equal(conditions(third).Ready.lastTransitionTime, T1);
    assert.equal(conditions(third).Initialized.lastTransitionTime, T0);
    assert.equal(third.startTime, T0);
  });

  it('keeps addresses, conditions and fields others wrote', () => {
    const mine = { type: 'example.com/Gate', status: 'True', lastTransitionTime: T0 };
    const s = computePodStatus({
      ...base,
      pod: pod({ phase: 'Pending', podIP: '192.168.1.9', podIPs: [{ ip: '192.168.1.9' }], nominatedNodeName: 'n', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: 'early' }, mine] }, { readinessGates: [{ conditionType: 'example.com/Gate' }] }),
      runtime: running(true),
    });
    assert.equal(s.podIP, '192.168.1.9');
    assert.deepEqual(s.podIPs, [{ ip: '192.168.1.9' }]);
    assert.equal(s.nominatedNodeName, 'n');
    assert.equal(conditions(s).PodScheduled.lastTransitionTime, 'early');
    assert.deepEqual(conditions(s)['example.com/Gate'], mine);
    assert.equal(conditions(s).Ready.status, 'True');
  });

  it('holds Ready back for a readiness gate that is not True', () => {
    const s = computePodStatus({ ...base, pod: pod(undefined, { readinessGates: [{ conditionType: 'example.com/Gate' }] }), runtime: running(true) });
    assert.equal(conditions(s).ContainersReady.status, 'True');
    assert.equal(conditions(s).Ready.status, 'False');
    assert.equal(conditions(s).Ready.reason, 'ReadinessGatesNotReady');
    assert.equal(conditions(s).Ready.message, 'corresponding condition of pod readiness gate "example.com/Gate" does not exist.');
  });

  it('reports terminal phases and never leaves them', () => {
    const done: PodRuntimeStatus = {
      terminalPhase: 'Succeeded',
      containers: [{ name: 'app', image: 'nginx', state: { terminated: { exitCode: 0, reason: 'Completed', finishedAt: T0 } }, ready: false, started: false, restartCount: 0 }],
    };
    const s = computePodStatus({ ...base, pod: pod(), runtime: done });
    assert.equal(s.phase, 'Succeeded');
    assert.equal(conditions(s).Ready.reason, 'PodCompleted');
    assert.equal(computePodStatus({ ...base, pod: pod(s), runtime: running(true) }).phase, 'Succeeded');
  });

  it('shows CreateContainerConfigError for a container whose config is missing', () => {
    const s = computePodStatus({ ...base, pod: pod(), configErrors: new Map([['app', 'secret "x" not found']]) });
    assert.deepEqual(((s.containerStatuses as Obj[])[0].state as Obj).waiting, { reason: 'CreateContainerConfigError', message: 'secret "x" not found' });
    assert.equal(podStatusCell({ ...pod(), status: s }), 'CreateContainerConfigError');
  });

  it('reports init containers as done once the pod is launched', () => {
    const spec = { initContainers: [{ name: 'init', image: 'busybox' }] };
    const before = computePodStatus({ ...base, pod: pod(undefined, spec) });
    assert.equal(podStatusCell({ ...pod(undefined, spec), status: before }), 'Init:0/1');
    const after = computePodStatus({ ...base, pod: pod(before, spec), runtime: running(true) });
    assert.equal(podStatusCell({ ...pod(undefined, spec), status: after }), 'Running');
  });
});
