// Filters, kube's "0/N nodes are available" message, and least-allocated
// scoring, over a cache built from Node and Pod objects (no API).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../api/object.js';
import { SchedulerCache } from './cache.js';
import { podInfo } from './pod-info.js';
import { numFeasibleNodesToFind, placePod } from './placement.js';
import { nodeObject, podObject, type NodeSpec, type PodSpecOpts } from './testing.js';

function cacheOf(nodes: [string, NodeSpec?][]): SchedulerCache {
  const c = new SchedulerCache();
  for (const [name, s] of nodes) c.upsertNode(nodeObject(name, s));
  return c;
}

const pod = (name: string, o: PodSpecOpts = {}) => podInfo(withUid(podObject('ns', name, o)));
function withUid(p: KObject): KObject {
  p.metadata.uid = `uid-${p.metadata.name}`;
  return p;
}
const bound = (name: string, node: string, o: PodSpecOpts = {}): KObject => {
  const p = withUid(podObject('ns', name, o));
  (p.spec as Record<string, unknown>).nodeName = node;
  return p;
};
const message = (c: SchedulerCache, o: PodSpecOpts) => {
  const r = placePod(c, pod('p', o));
  assert.equal(r.node, undefined, 'expected no node to fit');
  return r.diagnosis!.message();
};

describe('filters and the FailedScheduling message', () => {
  it('counts each reason over the nodes that gave it, sorted as kube sorts them', () => {
    const c = cacheOf([
      ['a', { cpu: '1', labels: { disk: 'ssd' } }],
      ['b', { cpu: '1', labels: { disk: 'ssd' } }],
      ['c', { labels: { disk: 'hdd' } }],
      ['d', { labels: { disk: 'hdd' } }],
      ['e', { labels: { disk: 'hdd' } }],
    ]);
    assert.equal(
      message(c, { cpu: '2', nodeSelector: { disk: 'ssd' } }),
      "0/5 nodes are available: 2 Insufficient cpu, 3 node(s) didn't match Pod's node affinity/selector.",
    );
  });

  it('reports cordoned, tainted and not-ready nodes; a node fails at its first failing filter', () => {
    const c = cacheOf([
      ['cordoned', { unschedulable: true, taints: [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }] }],
      ['tainted', { taints: [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }] }],
      ['soft', { taints: [{ key: 'x', effect: 'PreferNoSchedule' }], cpu: '100m' }],
      ['down', { ready: 'False' }],
      ['gone', { ready: 'Unknown' }],
    ]);
    assert.equal(
      message(c, { cpu: '1' }),
      '0/5 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {gpu: yes}, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 1 node(s) were unschedulable.',
    );
  });

  it('lets tolerations through: Equal, Exists, and the cordon taint', () => {
    const c = cacheOf([['tainted', { taints: [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }] }]]);
    assert.equal(placePod(c, pod('p', { tolerations: [{ key: 'gpu', operator: 'Equal', value: 'yes', effect: 'NoSchedule' }] })).node?.name, 'tainted');
    assert.equal(placePod(c, pod('p', { tolerations: [{ key: 'gpu', operator: 'Exists' }] })).node?.name, 'tainted');
    assert.equal(placePod(c, pod('p', { tolerations: [{ operator: 'Exists' }] })).node?.name, 'tainted');
    assert.equal(placePod(c, pod('p', { tolerations: [{ key: 'gpu', value: 'no' }] })).node, undefined);
    assert.equal(placePod(c, pod('p', { tolerations: [{ key: 'gpu', value: 'yes', effect: 'NoExecute' }] })).node, undefined);
    const cordoned = cacheOf([['c', { unschedulable: true }]]);
    assert.equal(placePod(cordoned, pod('p', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] })).node?.name, 'c');
  });

  it('matches required node affinity terms', () => {
    const c = cacheOf([
      ['a', { labels: { zone: 'z1', gen: '3' } }],
      ['b', { labels: { zone: 'z2', gen: '5' } }],
    ]);
    const affinity = (exprs: unknown[]) => {
      const p = withUid(podObject('ns', 'p'));
      (p.spec as Record<string, unknown>).affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: exprs }] } } };
      return placePod(c, podInfo(p)).node?.name;
    };
    assert.equal(affinity([{ key: 'zone', operator: 'In', values: ['z2'] }]), 'b');
    assert.equal(affinity([{ key: 'gen', operator: 'Gt', values: ['4'] }]), 'b');
    assert.equal(affinity([{ key: 'zone', operator: 'NotIn', values: ['z2'] }]), 'a');
    assert.equal(affinity([{ key: 'zone', operator: 'DoesNotExist' }]), undefined);
  });

  it('checks pod count, cpu and memory against what bound and assumed pods request', () => {
    const c = cacheOf([['n', { cpu: '2', memory: '1Gi', pods: 2 }]]);
    c.observePod(bound('x', 'n', { cpu: '1500m', memory: '512Mi' }));
    assert.equal(message(c, { cpu: '1', memory: '768Mi' }), '0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory.');
    const small = pod('small', { cpu: '500m' });
    c.assume(small, c.node('n')!);
    assert.equal(message(c, {}), '0/1 nodes are available: 1 Too many pods.');
  });

  it('says so when there are no nodes at all', () => {
    assert.equal(message(new SchedulerCache(), {}), 'no nodes available to schedule pods');
  });
});

describe('scoring and the cache', () => {
  it('spreads pods over equal nodes (least allocated)', () => {
    const c = cacheOf([['a'], ['b'], ['c']]);
    const seen = new Map<string, number>();
    for (let i = 0; i < 9; i++) {
      const p = pod(`p${i}`, { cpu: '500m', memory: '1Gi' });
      const n = placePod(c, p).node!;
      c.assume(p, n);
      seen.set(n.name, (seen.get(n.name) ?? 0) + 1);
    }
    assert.deepEqual([...seen.values()], [3, 3, 3]);
  });

  it('prefers the emptier node', () => {
    const c = cacheOf([['busy'], ['idle']]);
    c.observePod(bound('x', 'busy', { cpu: '2' }));
    assert.equal(placePod(c, pod('p', { cpu: '100m' })).node?.name, 'idle');
  });

  it('never counts a pod twice: assumed, then confirmed, then ended', () => {
    const c = cacheOf([['n']]);
    const p = pod('p', { cpu: '1' });
    c.assume(p, c.node('n')!);
    c.observePod(p.pod); // an update from before the binding: still counted once
    assert.equal(c.node('n')!.cpu, 1000);
    c.observePod(bound('p', 'n', { cpu: '1' }));
    assert.equal(c.node('n')!.cpu, 1000);
    assert.equal(c.isAssumed('ns/p'), false);
    assert.equal(c.forget('ns/p', 'n'), false, 'a confirmed pod is not forgotten');
    const done = bound('p', 'n', { cpu: '1' });
    done.status = { phase: 'Succeeded' };
    assert.equal(c.observePod(done), true);
    assert.equal(c.node('n')!.cpu, 0);
    assert.equal(c.node('n')!.pods, 0);
  });

  it('keeps pods of a node it has not seen yet, and of a deleted node', () => {
    const c = new SchedulerCache();
    c.observePod(bound('early', 'late-node', { cpu: '1' }));
    c.upsertNode(nodeObject('late-node'));
    assert.equal(c.node('late-node')!.cpu, 1000);
    c.removeNode('late-node');
    assert.equal(c.nodeCount, 0);
    c.upsertNode(nodeObject('late-node'));
    assert.equal(c.node('late-node')!.cpu, 1000);
  });

  it('searches a sample of large fleets, as kube does', () => {
    assert.equal(numFeasibleNodesToFind(50), 50);
    assert.equal(numFeasibleNodesToFind(1000), 420);
    assert.equal(numFeasibleNodesToFind(5000), 500);
    assert.equal(numFeasibleNodesToFind(100_000), 5000);
    assert.equal(numFeasibleNodesToFind(5000, 100), 5000);
  });
});
