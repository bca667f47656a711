// The spec's phase table and conditions, from observations alone.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../../api/object.js';
import { TEMPLATE_HASH_LABEL } from './resources.js';
import { workloadStatus } from './workload-status.js';

const NOW = '2026-01-01T00:00:00Z';
const workload = (replicas = 2, extra: Partial<KObject['metadata']> = {}): KObject => ({
  apiVersion: 'compute.miloapis.com/v1alpha1',
  kind: 'Workload',
  metadata: { name: 'web', namespace: 'project-p', generation: 3, ...extra },
  spec: { replicas, selector: { matchLabels: { app: 'web' } } },
});
const pod = (state: 'ready' | 'bound' | 'unbound' | 'crash', hash = 'h'): KObject => ({
  metadata: { name: `p-${Math.random()}`, labels: { [TEMPLATE_HASH_LABEL]: hash } },
  spec: state === 'unbound' ? {} : { nodeName: 'n' },
  status:
    state === 'ready'
      ? { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }
      : state === 'crash'
        ? { phase: 'Running', containerStatuses: [{ name: 'c', state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s' } } }] }
        : { phase: 'Pending' },
});
const phase = (w: KObject, pods: KObject[], extra = {}) => workloadStatus(w, { pods, hash: 'h', now: NOW, ...extra }).phase;
type Cond = { type: string; status: string; reason: string; message: string; lastTransitionTime: string; observedGeneration: number };
const cond = (st: Record<string, unknown>, type: string) => (st.conditions as Cond[]).find((c) => c.type === type);

describe('workloadStatus', () => {
  it('follows the phase table', () => {
    const w = workload();
    assert.equal(phase(w, []), 'Pending');
    assert.equal(phase(w, [pod('unbound'), pod('unbound')]), 'Pending');
    assert.equal(phase(w, [pod('ready'), pod('bound')]), 'Provisioning');
    assert.equal(phase(w, [pod('ready'), pod('ready')]), 'Running');
    assert.equal(phase(w, [pod('ready'), pod('ready', 'old')]), 'Provisioning', 'ready only on the current template counts');
    assert.equal(phase(w, [pod('ready'), pod('crash')]), 'Failed');
    assert.equal(phase(w, [pod('ready')], { createFailure: 'pods "x" is forbidden: exceeded quota' }), 'Failed');
    assert.equal(phase(w, [pod('bound')], { deadlineExceeded: true }), 'Failed');
    assert.equal(phase(w, [], { missingNetwork: 'net' }), 'Pending');
    assert.equal(phase(workload(2, { deletionTimestamp: NOW }), [pod('ready'), pod('ready')]), 'Deleting');
    assert.equal(phase(workload(0), []), 'Running');
  });

  it('reports counts and conditions with observedGeneration', () => {
    const st = workloadStatus(workload(3), { pods: [pod('ready'), pod('ready', 'old'), pod('bound')], hash: 'h', now: NOW });
    assert.deepEqual(
      { replicas: st.replicas, ready: st.readyReplicas, available: st.availableReplicas, updated: st.updatedReplicas, gen: st.observedGeneration, sel: st.selector },
      { replicas: 3, ready: 2, available: 2, updated: 2, gen: 3, sel: 'app=web' },
    );
    assert.equal(cond(st, 'Available')?.reason, 'MinimumReplicasUnavailable');
    assert.equal(cond(st, 'Progressing')?.reason, 'NewReplicasCreated');
    assert.equal(cond(st, 'Progressing')?.observedGeneration, 3);
    assert.equal(cond(st, 'ReplicaFailure'), undefined);
    const failed = workloadStatus(workload(3), { pods: [], hash: 'h', now: NOW, createFailure: 'refused' });
    assert.deepEqual({ ...cond(failed, 'ReplicaFailure') }, { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'refused', lastTransitionTime: NOW, observedGeneration: 3 });
    const net = workloadStatus(workload(), { pods: [], hash: 'h', now: NOW, missingNetwork: 'prod' });
    assert.deepEqual([cond(net, 'Progressing')?.status, cond(net, 'Progressing')?.reason, cond(net, 'Progressing')?.message], ['False', 'NetworkNotFound', 'Unable to find network: prod']);
  });

  it('keeps lastTransitionTime while a condition keeps its status', () => {
    const w = workload(1);
    const first = workloadStatus(w, { pods: [pod('bound')], hash: 'h', now: NOW });
    const later = workloadStatus({ ...w, status: first }, { pods: [pod('bound')], hash: 'h', now: '2026-01-01T00:05:00Z' });
    assert.deepEqual(later, first);
    const ready = workloadStatus({ ...w, status: first }, { pods: [pod('ready')], hash: 'h', now: '2026-01-01T00:05:00Z' });
    assert.equal(cond(ready, 'Available')?.lastTransitionTime, '2026-01-01T00:05:00Z');
    assert.equal(cond(ready, 'Progressing')?.lastTransitionTime, NOW, 'Progressing stayed True');
  });
});
