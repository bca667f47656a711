import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../../api/object.js';
import { nodeView } from './node-view.js';

const node: KObject = {
  metadata: { name: 'n1' },
  spec: { unschedulable: true, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] },
  status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '3800m', memory: '7Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
};

const pod = (name: string, nodeName: string | undefined, phase: string, requests: { cpu?: string; memory?: string }[]): KObject => ({
  metadata: { name, namespace: 'a' },
  spec: { ...(nodeName ? { nodeName } : {}), containers: requests.map((r, i) => ({ name: `c${i}`, resources: { requests: r } })) },
  status: { phase },
});

describe('nodeView', () => {
  it('sums the requests of the pods on the node that still hold resources, in kube notation', () => {
    const pods = [
      pod('a', 'n1', 'Running', [{ cpu: '500m', memory: '1Gi' }, { cpu: '0.25', memory: '512Mi' }]),
      pod('b', 'n1', 'Pending', [{ cpu: '1' }]),
      pod('done', 'n1', 'Succeeded', [{ cpu: '2', memory: '2Gi' }]),
      pod('other', 'n2', 'Running', [{ cpu: '3' }]),
      pod('unbound', undefined, 'Pending', [{ cpu: '3' }]),
      pod('bad', 'n1', 'Running', [{ cpu: 'lots' }]),
    ];
    const v = nodeView(node, pods);
    assert.deepEqual(v.requested, { cpu: '1750m', memory: '1536Mi', pods: '3' }, 'the Succeeded pod no longer counts');
    assert.deepEqual(v.pods.map((p) => p.metadata.name), ['a', 'b', 'bad', 'done']);
    assert.deepEqual(v.capacity, { cpu: '4', memory: '8Gi', pods: '110' });
    assert.equal(v.allocatable.cpu, '3800m');
  });

  it('reads readiness, cordoning and taints', () => {
    const v = nodeView(node, []);
    assert.equal(v.ready, 'True');
    assert.equal(v.unschedulable, true);
    assert.deepEqual(v.taints, ['dedicated=gpu:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    assert.deepEqual(v.requested, { cpu: '0', memory: '0', pods: '0' });
    assert.equal(nodeView({ metadata: { name: 'bare' } }, []).ready, 'Unknown');
  });
});
