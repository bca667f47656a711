// `kubectl cordon`, `uncordon` and `drain` against a live `workplane serve`
// with the real kubectl: drain cordons the node and evicts its pods through
// the pods/eviction subresource.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { nowIso, nowMicroIso } from '../../api/object.js';
import { Kubectl, ServerProcess } from '../../testing/server-process.js';

const NODE = 'drain-n1';

const nodeYaml = `apiVersion: v1
kind: Node
metadata:
  name: ${NODE}
  labels: {kubernetes.io/hostname: ${NODE}}
`;

const leaseYaml = () => `apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: ${NODE}
  namespace: kube-node-lease
spec:
  holderIdentity: ${NODE}
  leaseDurationSeconds: 40
  renewTime: "${nowMicroIso()}"
`;

const podYaml = `apiVersion: v1
kind: Pod
metadata:
  name: standalone
  namespace: default
spec:
  nodeName: ${NODE}
  containers:
  - name: app
    image: nginx:1.25
`;

describe('kubectl cordon, uncordon and drain', () => {
  let server: ServerProcess;
  let k: Kubectl;

  before(async () => {
    server = await new ServerProcess({ storage: 'memory', extraArgs: ['--agent-nodes', '0'] }).start();
    k = new Kubectl(server);
  });
  after(async () => {
    k?.cleanup();
    await server?.cleanup();
  });

  const nodeStatus = async () => (await k.ok(['get', 'node', NODE, '--no-headers'])).trim().split(/\s+/)[1];
  const unschedulable = async () => (await k.ok(['get', 'node', NODE, '-o', 'jsonpath={.spec.unschedulable}'])).trim();

  it('cordons, uncordons and drains a node', async () => {
    await k.ok(['create', '-f', '-'], nodeYaml);
    // Its agent's part, written by hand: a fresh heartbeat and Ready=True.
    await k.ok(['apply', '-f', '-'], leaseYaml());
    const ready = { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ready', lastHeartbeatTime: nowIso(), lastTransitionTime: nowIso() };
    await k.ok(['patch', 'node', NODE, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { conditions: [ready] } })]);
    assert.equal(await nodeStatus(), 'Ready');
    await k.ok(['create', '-f', '-'], podYaml);

    assert.match(await k.ok(['cordon', NODE]), new RegExp(`node/${NODE} cordoned`));
    assert.equal(await unschedulable(), 'true');
    assert.equal(await nodeStatus(), 'Ready,SchedulingDisabled');

    assert.match(await k.ok(['uncordon', NODE]), new RegExp(`node/${NODE} uncordoned`));
    assert.equal(await unschedulable(), '');
    assert.equal(await nodeStatus(), 'Ready');

    const r = await k.run(['drain', NODE, '--ignore-daemonsets', '--force', '--grace-period=0', '--timeout=30s']);
    assert.equal(r.code, 0, `drain failed:\n${r.stderr}${r.stdout}`);
    assert.match(r.stdout, /pod\/standalone evicted/);
    assert.match(r.stdout, new RegExp(`node/${NODE} drained`));
    assert.match(await k.fails(['get', 'pod', 'standalone']), /pods "standalone" not found/);
    assert.equal(await nodeStatus(), 'Ready,SchedulingDisabled');
  });
});
