// Pod table cells (READY, STATUS, RESTARTS, wide columns) as kube prints them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../object.js';
import { podIPCell, podNodeCell, podReadinessGatesCell, podReadyCell, podRestartsCell, podStatusCell } from './pod-table.js';

const pod = (spec: Record<string, unknown>, status: Record<string, unknown>, meta: Record<string, unknown> = {}): KObject => ({
  metadata: { name: 'p', namespace: 'default', ...meta },
  spec: { containers: [{ name: 'a' }], ...spec },
  status,
});
const running = (name: string, ready = true, restartCount = 0, extra: Record<string, unknown> = {}) => ({
  name,
  ready,
  restartCount,
  state: { running: { startedAt: '2024-01-01T00:00:00Z' } },
  ...extra,
});
const waiting = (name: string, reason: string, restartCount = 0) => ({ name, ready: false, restartCount, state: { waiting: { reason } } });

describe('pod table cells', () => {
  it('shows the phase for a new pod', () => {
    const p = pod({}, { phase: 'Pending' });
    assert.equal(podStatusCell(p), 'Pending');
    assert.equal(podReadyCell(p), '0/1');
    assert.equal(podRestartsCell(p, Date.now()), '0');
  });

  it('counts ready running containers', () => {
    const p = pod({ containers: [{ name: 'a' }, { name: 'b' }] }, { phase: 'Running', containerStatuses: [running('a'), running('b', false)] });
    assert.equal(podReadyCell(p), '1/2');
    assert.equal(podStatusCell(p), 'Running');
  });

  it('prefers container waiting reasons', () => {
    assert.equal(podStatusCell(pod({}, { phase: 'Pending', containerStatuses: [waiting('a', 'ContainerCreating')] })), 'ContainerCreating');
    assert.equal(podStatusCell(pod({}, { phase: 'Running', containerStatuses: [waiting('a', 'CrashLoopBackOff', 4)] })), 'CrashLoopBackOff');
    assert.equal(
      podStatusCell(pod({}, { phase: 'Pending', containerStatuses: [waiting('a', 'CreateContainerConfigError')] })),
      'CreateContainerConfigError',
    );
  });

  it('shows terminated reasons and exit codes', () => {
    const done = { name: 'a', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } };
    assert.equal(podStatusCell(pod({}, { phase: 'Succeeded', containerStatuses: [done] })), 'Completed');
    const killed = { name: 'a', ready: false, restartCount: 0, state: { terminated: { exitCode: 137, signal: 9 } } };
    assert.equal(podStatusCell(pod({}, { phase: 'Failed', containerStatuses: [killed] })), 'Signal:9');
    const failed = { name: 'a', ready: false, restartCount: 0, state: { terminated: { exitCode: 2 } } };
    assert.equal(podStatusCell(pod({}, { phase: 'Failed', containerStatuses: [failed] })), 'ExitCode:2');
  });

  it('reports a completed container next to running ones as Running or NotReady', () => {
    const done = { name: 'a', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } };
    const spec = { containers: [{ name: 'a' }, { name: 'b' }] };
    const statuses = [done, running('b')];
    assert.equal(podStatusCell(pod(spec, { phase: 'Running', containerStatuses: statuses, conditions: [{ type: 'Ready', status: 'True' }] })), 'Running');
    assert.equal(podStatusCell(pod(spec, { phase: 'Running', containerStatuses: statuses })), 'NotReady');
  });

  it('shows init container progress', () => {
    const spec = { initContainers: [{ name: 'i1' }, { name: 'i2' }] };
    const initDone = { name: 'i1', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } };
    const initRunning = { name: 'i2', ready: false, restartCount: 0, state: { running: {} } };
    assert.equal(podStatusCell(pod(spec, { phase: 'Pending', initContainerStatuses: [initDone, initRunning] })), 'Init:1/2');
    assert.equal(podStatusCell(pod(spec, { phase: 'Pending', initContainerStatuses: [waiting('i1', 'CrashLoopBackOff')] })), 'Init:CrashLoopBackOff');
    const initFailed = { name: 'i1', ready: false, restartCount: 0, state: { terminated: { exitCode: 1, reason: 'Error' } } };
    assert.equal(podStatusCell(pod(spec, { phase: 'Pending', initContainerStatuses: [initFailed] })), 'Init:Error');
  });

  it('counts a started sidecar as a ready container', () => {
    const spec = { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] };
    const status = {
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }],
      initContainerStatuses: [running('proxy', true, 0, { started: true })],
      containerStatuses: [running('a')],
    };
    assert.equal(podReadyCell(pod(spec, status)), '2/2');
    assert.equal(podStatusCell(pod(spec, status)), 'Running');
  });

  it('says Terminating while a live pod is being deleted', () => {
    const meta = { deletionTimestamp: '2024-01-01T00:00:00Z' };
    assert.equal(podStatusCell(pod({}, { phase: 'Running', containerStatuses: [running('a')] }, meta)), 'Terminating');
    assert.equal(podStatusCell(pod({}, { phase: 'Succeeded' }, meta)), 'Succeeded');
    assert.equal(podStatusCell(pod({}, { phase: 'Running', reason: 'NodeLost' }, meta)), 'Unknown');
  });

  it('adds the age of the last restart', () => {
    const now = Date.parse('2024-01-01T00:10:00Z');
    const cs = running('a', true, 3, { lastState: { terminated: { exitCode: 1, finishedAt: '2024-01-01T00:05:00Z' } } });
    assert.equal(podRestartsCell(pod({}, { phase: 'Running', containerStatuses: [cs] }), now), '3 (5m ago)');
    assert.equal(podRestartsCell(pod({}, { phase: 'Running', containerStatuses: [running('a', true, 2)] }), now), '2');
  });

  it('fills the wide columns', () => {
    const p = pod({ nodeName: 'n1', readinessGates: [{ conditionType: 'x/y' }, { conditionType: 'x/z' }] }, {
      podIPs: [{ ip: '10.0.0.5' }],
      conditions: [{ type: 'x/y', status: 'True' }],
    });
    assert.equal(podIPCell(p), '10.0.0.5');
    assert.equal(podNodeCell(p), 'n1');
    assert.equal(podReadinessGatesCell(p), '1/2');
    const bare = pod({}, {});
    assert.equal(podIPCell(bare), '<none>');
    assert.equal(podNodeCell(bare), '<none>');
    assert.equal(podReadinessGatesCell(bare), '<none>');
  });
});
