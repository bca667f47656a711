// What a kubectl user sees of the two node runtimes, end to end against
// `workplane serve` (three simulated nodes in-process) plus a `workplane
// agent --runtime process` node: the process node says what it is and
// ordinary pods stay off it; an image-only pod that is sent there anyway
// waits in CreateContainerError instead of pretending to run; and a new
// image (`kubectl set image`, `kubectl patch`) restarts the container on
// either runtime, with kubelet's events in `kubectl describe pod`.

import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Kubectl, ServerProcess } from '../testing/server-process.js';
import { eventually, startAgent, type OutputProcess } from './seed-support/processes.js';

/** What the README tells users to add to a pod meant for process nodes. */
const PROCESS_NODES = `  nodeSelector: {workplane.dev/runtime: process}
  tolerations: [{key: workplane.dev/runtime, operator: Equal, value: process, effect: NoSchedule}]
`;

interface ContainerStatus {
  name: string;
  image: string;
  imageID: string;
  containerID?: string;
  restartCount: number;
  ready: boolean;
  state: { running?: { startedAt: string }; waiting?: { reason: string; message?: string }; terminated?: { exitCode: number; reason: string } };
  lastState: { terminated?: { exitCode: number; reason: string; containerID?: string } };
}
interface PodView {
  spec: { nodeName?: string };
  status: { phase?: string; conditions?: { type: string; status: string }[]; containerStatuses?: ContainerStatus[] };
}

describe('kubectl and the node runtimes: process nodes, image-only pods, image changes', () => {
  let server: ServerProcess;
  let k: Kubectl;
  let agent: OutputProcess | undefined;
  const root = mkdtempSync(join(tmpdir(), 'workplane-runtimes-'));
  // The agent runs as root here, so its pods run as nobody, who must pass through to its root dir.
  chmodSync(root, 0o711);

  const pod = async (name: string): Promise<PodView> => JSON.parse(await k.ok(['get', 'pod', name, '-o', 'json']));
  const ready = (p: PodView) => p.status.conditions?.find((c) => c.type === 'Ready')?.status;

  before(async () => {
    server = await new ServerProcess({ extraArgs: ['--agent-nodes', '3'] }).start();
    k = new Kubectl(server);
    agent = await startAgent(server, ['--runtime', 'process', '--nodes', '1', '--name-prefix', 'proc', '--log-port', '0', '--root-dir', join(root, 'agent')]);
    await k.ok(['wait', '--for=condition=Ready', 'node', '--all', '--timeout=60s']);
  });
  after(async () => {
    await agent?.stop();
    k?.cleanup();
    await server?.cleanup();
    rmSync(root, { recursive: true, force: true });
  });

  it('a process node says what it is in kubectl describe node, and ordinary pods stay off it', async () => {
    const node = await k.ok(['describe', 'node', 'proc-0']);
    assert.match(node, /^Taints:\s+workplane\.dev\/runtime=process:NoSchedule$/m);
    assert.match(node, /^\s+workplane\.dev\/runtime=process$/m, 'label');
    assert.match(node, /Container Runtime Version:\s+workplane:\/\/process/);
    assert.match(await k.ok(['get', 'nodes', '-l', 'workplane.dev/runtime=simulated', '-o', 'name']), /^node\/node-0\nnode\/node-1\nnode\/node-2\n$/);

    await k.ok(['create', 'deployment', 'plain', '--image=nginx', '--replicas=6']);
    await k.ok(['rollout', 'status', 'deployment/plain', '--timeout=60s']);
    const nodes = (await k.ok(['get', 'pods', '-l', 'app=plain', '-o', 'jsonpath={.items[*].spec.nodeName}'])).split(' ');
    assert.equal(nodes.length, 6);
    assert.ok(nodes.every((n) => /^node-\d$/.test(n)), `no ordinary pod on the process node: ${nodes.join(' ')}`);

    // Selecting the process node without tolerating its taint: nowhere to go, and the pod says why.
    await k.ok(['run', 'picky', '--image=nginx', '--overrides', '{"spec":{"nodeSelector":{"workplane.dev/runtime":"process"}}}']);
    await eventually(async () => assert.match(await k.ok(['describe', 'pod', 'picky']), /FailedScheduling.*1 node\(s\) had untolerated taint \{workplane\.dev\/runtime: process\}/s));
    assert.equal((await pod('picky')).spec.nodeName, undefined);
  });

  it('an image-only pod sent to a process node waits in CreateContainerError and never claims Running', async () => {
    await k.ok(['apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata: {name: image-only}
spec:
${PROCESS_NODES}  containers:
  - {name: web, image: nginx}
`);
    const message = 'no command to run: the process runtime runs container commands, not images';
    await eventually(async () => assert.equal((await pod('image-only')).status.containerStatuses?.[0]?.state.waiting?.reason, 'CreateContainerError'));
    const p = await pod('image-only');
    assert.equal(p.spec.nodeName, 'proc-0');
    assert.equal(p.status.phase, 'Pending');
    assert.equal(ready(p), 'False');
    const c = p.status.containerStatuses![0];
    assert.deepEqual(c.state, { waiting: { reason: 'CreateContainerError', message } });
    assert.equal(c.ready, false);
    assert.equal(c.restartCount, 0);
    assert.match(await k.ok(['get', 'pod', 'image-only']), /^image-only\s+0\/1\s+CreateContainerError\s+0\s/m);
    const describe = await eventually(async () => {
      const d = await k.ok(['describe', 'pod', 'image-only']);
      assert.match(d, new RegExp(`Warning\\s+Failed\\s+.*kubelet.*Error: ${message}`));
      return d;
    });
    assert.match(describe, /State:\s+Waiting\n\s+Reason:\s+CreateContainerError/);
    assert.doesNotMatch(describe, /Normal\s+Started/);
    await k.ok(['delete', 'pod', 'image-only', '--wait=true', '--timeout=60s']);
  });

  it('kubectl set image restarts the container on a simulated node', async () => {
    await k.ok(['run', 'web', '--image=nginx:1.25', '--overrides', '{"spec":{"nodeSelector":{"workplane.dev/runtime":"simulated"}}}']);
    await k.ok(['wait', '--for=condition=Ready', 'pod/web', '--timeout=60s']);
    const before = (await pod('web')).status.containerStatuses![0];
    assert.equal(before.restartCount, 0);

    assert.match(await k.ok(['set', 'image', 'pod/web', 'web=nginx:1.26']), /pod\/web image updated/);
    await k.ok(['wait', '--for=jsonpath={.status.containerStatuses[0].restartCount}=1', 'pod/web', '--timeout=60s']);
    await k.ok(['wait', '--for=condition=Ready', 'pod/web', '--timeout=60s']);
    const p = await pod('web');
    const after = p.status.containerStatuses![0];
    assert.equal(p.status.phase, 'Running');
    assert.equal(after.image, 'nginx:1.26');
    assert.match(after.imageID, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    assert.notEqual(after.imageID, before.imageID);
    assert.notEqual(after.containerID, before.containerID);
    assert.ok(Date.parse(after.state.running!.startedAt) >= Date.parse(before.state.running!.startedAt));
    assert.deepEqual({ ...after.lastState.terminated, startedAt: 0, finishedAt: 0 }, { exitCode: 0, reason: 'Completed', containerID: before.containerID, startedAt: 0, finishedAt: 0 });

    const describe = await eventually(async () => {
      const d = await k.ok(['describe', 'pod', 'web']);
      assert.match(d, /Normal\s+Started\s+.*kubelet.*Started container web[\s\S]*Normal\s+Killing\s+.*kubelet.*Container web definition changed, will be restarted/);
      assert.match(d, /Normal\s+Pulling\s+.*kubelet.*Pulling image "nginx:1\.26"/);
      assert.match(d, /Normal\s+Pulled\s+.*kubelet.*Successfully pulled image "nginx:1\.26"/);
      assert.match(d, /Normal\s+Created\s+.*x2 over.*kubelet.*Created container: web/);
      assert.match(d, /Normal\s+Started\s+.*x2 over.*kubelet.*Started container web/);
      return d;
    });
    assert.match(describe, /Image:\s+nginx:1\.26\n\s+Image ID:\s+docker\.io\/library\/nginx@sha256:/);
    assert.match(describe, /Restart Count:\s+1/);
    assert.match(describe, /Last State:\s+Terminated\n\s+Reason:\s+Completed/);
  });

  it('kubectl patch restarts the container on a process node: its command runs again', async () => {
    await k.ok(['apply', '-f', '-'], `apiVersion: v1
kind: Pod
metadata: {name: counter}
spec:
${PROCESS_NODES}  containers:
  - name: app
    image: busybox:1.36
    command: [sh, -c, 'echo started; trap "echo stopping; exit 0" TERM; sleep 3600 & wait']
`);
    await k.ok(['wait', '--for=condition=Ready', 'pod/counter', '--timeout=60s']);
    const before = (await pod('counter')).status.containerStatuses![0];
    assert.match(String(before.containerID), /^process:\/\//);

    await k.ok(['patch', 'pod', 'counter', '-p', '{"spec":{"containers":[{"name":"app","image":"busybox:1.37"}]}}']);
    await k.ok(['wait', '--for=jsonpath={.status.containerStatuses[0].restartCount}=1', 'pod/counter', '--timeout=60s']);
    await k.ok(['wait', '--for=condition=Ready', 'pod/counter', '--timeout=60s']);
    const p = await pod('counter');
    const after = p.status.containerStatuses![0];
    assert.equal(p.spec.nodeName, 'proc-0');
    assert.equal(after.image, 'busybox:1.37');
    assert.match(String(after.containerID), /^process:\/\//);
    assert.notEqual(after.containerID, before.containerID);
    assert.ok(after.state.running);
    assert.equal(after.lastState.terminated?.exitCode, 0);
    await eventually(async () => assert.equal(await k.ok(['logs', 'counter']), 'started\n'));
    assert.equal(await k.ok(['logs', 'counter', '--previous']), 'started\nstopping\n');

    await eventually(async () => {
      const d = await k.ok(['describe', 'pod', 'counter']);
      assert.match(d, /Normal\s+Killing\s+.*kubelet.*Container app definition changed, will be restarted/);
      assert.match(d, /Normal\s+Pulling\s+.*kubelet.*Pulling image "busybox:1\.37"/);
      assert.match(d, /Normal\s+Pulled\s+.*kubelet.*Successfully pulled image "busybox:1\.37"/);
      assert.match(d, /Normal\s+Started\s+.*x2 over.*kubelet.*Started container app/);
    });
  });
});
