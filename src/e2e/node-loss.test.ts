// A node lost under running work: when a `workplane agent` dies, its node turns
// Unknown and is tainted unreachable, its pods are evicted after their toleration
// period, and a compute Workload's pods come back on the node that is left.
// Periods are shortened by configuration.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kubectl, ServerProcess } from '../testing/server-process.js';
import { eventually, startAgent, type OutputProcess } from './seed-support/processes.js';

const WORKLOAD = `apiVersion: compute.miloapis.com/v1alpha1
kind: Workload
metadata: {name: web, namespace: project-lost}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: web
        image: nginx:1.25
`;

describe('losing a node', () => {
  let server: ServerProcess;
  let k: Kubectl;
  let doomed: OutputProcess;
  let survivor: OutputProcess;

  before(async () => {
    server = await new ServerProcess({
      storage: 'sqlite',
      extraArgs: ['--agent-nodes', '0', '--node-grace-period', '3', '--node-eviction-seconds', '2'],
    }).start();
    k = new Kubectl(server);
    doomed = await startAgent(server, ['--nodes', '1', '--name-prefix', 'doomed', '--lease-renew-seconds', '1', '--log-port', '0']);
    survivor = await startAgent(server, ['--nodes', '1', '--name-prefix', 'survivor', '--lease-renew-seconds', '1', '--log-port', '0']);
  });

  after(async () => {
    await doomed?.stop();
    await survivor?.stop();
    k?.cleanup();
    await server?.cleanup();
  });

  const podsOn = async (node: string) =>
    (await k.ok(['get', 'pods', '-n', 'project-lost', '--field-selector', `spec.nodeName=${node}`, '-o', 'name'])).trim().split('\n').filter(Boolean);

  it('runs a Workload across both nodes', async () => {
    await k.ok(['apply', '-f', '-'], 'apiVersion: resourcemanager.miloapis.com/v1alpha1\nkind: Project\nmetadata: {name: lost}\n');
    await eventually(() => k.ok(['get', 'namespace', 'project-lost']));
    await k.ok(['apply', '-f', '-'], WORKLOAD);
    await k.ok(['wait', 'workloads.compute.miloapis.com/web', '-n', 'project-lost', '--for=jsonpath={.status.phase}=Running', '--timeout=60s']);
    assert.ok((await podsOn('doomed-0')).length > 0, 'the scheduler spreads pods over both nodes');
  });

  it('marks the node Unknown and tainted when its agent is killed', async () => {
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    await eventually(async () => {
      const ready = await k.ok(['get', 'node', 'doomed-0', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']);
      assert.equal(ready, 'Unknown');
      const taints = await k.ok(['get', 'node', 'doomed-0', '-o', 'jsonpath={.spec.taints[*].key}']);
      assert.match(taints, /node\.kubernetes\.io\/unreachable/);
    }, 30_000);
    assert.match(await k.ok(['get', 'nodes']), /^doomed-0\s+NotReady/m);
  });

  it('evicts its pods and the Workload comes back on the surviving node', async () => {
    await eventually(async () => assert.deepEqual(await podsOn('doomed-0'), []), 45_000);
    await eventually(async () => {
      assert.equal((await podsOn('survivor-0')).length, 4);
      const s = JSON.parse(await k.ok(['get', 'workloads.compute.miloapis.com', 'web', '-n', 'project-lost', '-o', 'jsonpath={.status}']));
      assert.equal(s.readyReplicas, 4);
      assert.equal(s.phase, 'Running');
    }, 45_000);
  });
});
