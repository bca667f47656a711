import { PodIPs, nodeIndex } from './pod-ips.js';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { nodeStatusCell } from '../api/core/node.js';
import type { KObject } from '../api/object.js';
import { eventually } from '../client/testing.js';
import { KUBELET_VERSION } from './node-object.js';
import { condition, LEASES, NODES, pod, RecordingRuntime, startAgentHarness, statusOf, type AgentHarness } from './testing.js';

type Obj = Record<string, unknown>;

describe('node agent: nodes and heartbeats', () => {
  let h: AgentHarness;
  const registered: [string, boolean][] = [];
  before(async () => {
    h = await startAgentHarness({
      nodes: 3,
      namePrefix: 'sim',
      cpu: '8',
      memory: '16Gi',
      pods: 50,
      labels: { zone: 'a' },
      taints: [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }],
      leaseRenewSeconds: 0.05,
      nodeStatusReportSeconds: 0.2,
      onNodeRegistered: (name, created) => registered.push([name, created]),
    });
  });
  after(() => h.close());

  const nodes = () => h.api.client.resource(NODES);
  const leases = () => h.api.client.resource(LEASES);

  it('registers each node with labels, taints, capacity, conditions, addresses and nodeInfo', async () => {
    assert.deepEqual(registered, [['sim-0', true], ['sim-1', true], ['sim-2', true]]);
    const n = (await nodes().get(undefined, 'sim-1'))!;
    assert.deepEqual(n.metadata.labels, { 'kubernetes.io/hostname': 'sim-1', 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': n.metadata.labels!['kubernetes.io/arch'], type: 'simulated', 'workplane.dev/runtime': 'simulated', zone: 'a' });
    assert.deepEqual((n.spec as Obj).taints, [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }]);
    const s = statusOf(n);
    assert.deepEqual(s.capacity, { cpu: '8', memory: '16Gi', pods: '50' });
    assert.deepEqual(s.allocatable, s.capacity);
    assert.equal(nodeStatusCell(n), 'Ready');
    const ready = condition(n, 'Ready')!;
    assert.equal(ready.reason, 'KubeletReady');
    assert.equal(ready.message, 'kubelet is posting ready status');
    for (const type of ['MemoryPressure', 'DiskPressure', 'PIDPressure']) assert.equal(condition(n, type)?.status, 'False', type);
    // A non-default name prefix takes a stable /24 of its own (see pod-ips.ts).
    assert.deepEqual(s.addresses, [{ type: 'InternalIP', address: PodIPs.forNode(nodeIndex('sim-1'), true).nodeIP }, { type: 'Hostname', address: 'sim-1' }]);
    assert.match(s.addresses[0].address, /^10\.\d+\.\d+\.1$/);
    const info = s.nodeInfo as Obj;
    assert.equal(info.kubeletVersion, KUBELET_VERSION);
    assert.equal(info.containerRuntimeVersion, 'workplane://simulated');
    assert.equal(info.operatingSystem, 'linux');
    assert.deepEqual(s.daemonEndpoints, { kubeletEndpoint: { Port: 0 } });
  });

  it('renews a lease per node and refreshes the Ready heartbeat', async () => {
    const lease = (await leases().get('kube-node-lease', 'sim-2'))!;
    const spec = lease.spec as Obj;
    assert.equal(spec.holderIdentity, 'sim-2');
    assert.equal(spec.leaseDurationSeconds, 40);
    assert.match(String(spec.renewTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const node = (await nodes().get(undefined, 'sim-2'))!;
    assert.deepEqual(lease.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'sim-2', uid: node.metadata.uid }]);
    await eventually(async () => ((await leases().get('kube-node-lease', 'sim-2'))!.spec as Obj).renewTime !== spec.renewTime, 'lease renewed');
    const beat = condition(node, 'Ready')!.lastHeartbeatTime;
    await eventually(async () => condition(await nodes().get(undefined, 'sim-2'), 'Ready')!.lastHeartbeatTime !== beat, 'heartbeat refreshed', 5000);
    assert.equal(condition(await nodes().get(undefined, 'sim-2'), 'Ready')!.lastTransitionTime, condition(node, 'Ready')!.lastTransitionTime);
  });

  it('sets Ready=True again when a lifecycle controller marks a served node Unknown', async () => {
    const n = (await nodes().get(undefined, 'sim-0'))!;
    const conditions = ((statusOf(n).conditions ?? []) as Obj[]).map((c) => (c.type === 'Ready' ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' } : c));
    await nodes().updateStatus(undefined, { ...n, status: { ...statusOf(n), conditions } });
    await eventually(async () => condition(await nodes().get(undefined, 'sim-0'), 'Ready')?.status === 'True', 'Ready again');
    assert.equal(condition(await nodes().get(undefined, 'sim-0'), 'Ready')!.reason, 'KubeletReady');
  });

  it('re-uses nodes on restart: keeps uid, cordon and user labels; pods keep running unrestarted', async () => {
    await h.pods.create('default', pod('survivor', { nodeName: 'sim-1' }));
    await eventually(async () => condition(await h.pods.get('default', 'survivor'), 'Ready')?.status === 'True', 'pod ready');
    const before = (await h.pods.get('default', 'survivor'))!;
    const old = (await nodes().get(undefined, 'sim-1'))!;
    await nodes().patch(undefined, 'sim-1', 'merge', { spec: { unschedulable: true }, metadata: { labels: { team: 'x' } } });
    await h.agent.stop();

    // The lifecycle controller noticed the silence.
    const stale = (await nodes().get(undefined, 'sim-1'))!;
    const unknown = ((statusOf(stale).conditions ?? []) as Obj[]).map((c) => (c.type === 'Ready' ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown' } : c));
    await nodes().updateStatus(undefined, { ...stale, status: { ...statusOf(stale), conditions: unknown } });

    const again: [string, boolean][] = [];
    // A new process: a fresh runtime that knows nothing but what the pod objects say.
    const runtime = new RecordingRuntime({ startJitterMs: 5 });
    const agent = h.newAgent({ runtime, nodes: 3, namePrefix: 'sim', labels: { zone: 'b' }, leaseRenewSeconds: 0.05, onNodeRegistered: (n, c) => again.push([n, c]) });
    try {
      await agent.start();
      assert.deepEqual(again.map(([, created]) => created), [false, false, false]);
      const n: KObject = (await nodes().get(undefined, 'sim-1'))!;
      assert.equal(n.metadata.uid, old.metadata.uid);
      assert.equal((n.spec as Obj).unschedulable, true);
      assert.equal(n.metadata.labels!.team, 'x');
      assert.equal(n.metadata.labels!.zone, 'b');
      assert.equal(nodeStatusCell(n), 'Ready,SchedulingDisabled');
      assert.deepEqual((n.spec as Obj).taints, [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }]);
      await new Promise((r) => setTimeout(r, 50));
      const after = (await h.pods.get('default', 'survivor'))!;
      const cs = (statusOf(after).containerStatuses as Obj[])[0];
      const cs0 = (statusOf(before).containerStatuses as Obj[])[0];
      assert.equal(cs.containerID, cs0.containerID);
      assert.equal(cs.restartCount, 0);
      assert.equal(statusOf(after).podIP, statusOf(before).podIP);
      assert.equal(runtime.status(after.metadata.uid!)?.containers[0].containerID, cs0.containerID);
    } finally {
      await agent.stop();
      await runtime.close();
    }
  });
});
