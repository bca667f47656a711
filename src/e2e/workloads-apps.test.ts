// Deployments with the real kubectl against `workplane serve`: create, get,
// scale, set image, rollout status / history / undo / restart / pause /
// resume, describe, and the errors kubectl relays.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kubectl, ServerProcess } from '../testing/server-process.js';
import { eventually } from './seed-support/processes.js';

const NS = 'apps';

describe('Deployments with kubectl', () => {
  let server: ServerProcess;
  let k: Kubectl;
  const json = async (args: string[]) => JSON.parse(await k.ok([...args, '-n', NS, '-o', 'json']));
  const rollout = (...args: string[]) => k.ok(['rollout', ...args, '-n', NS]);

  before(async () => {
    server = await new ServerProcess({ extraArgs: ['--agent-nodes', '3'] }).start();
    k = new Kubectl(server);
    await k.ok(['create', 'namespace', NS]);
  });
  after(async () => {
    k?.cleanup();
    await server?.cleanup();
  });

  it('kubectl create deployment, rollout status, get with kube columns', async () => {
    assert.match(await k.ok(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=3', '--port=80', '-n', NS]), /deployment\.apps\/web created/);
    assert.match(await rollout('status', 'deployment/web', '--timeout=60s'), /deployment "web" successfully rolled out/);
    assert.match(await k.ok(['get', 'deployments', '-n', NS]), /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+3\/3\s+3\s+3\s+/m);
    assert.match(await k.ok(['get', 'deploy', 'web', '-n', NS, '-o', 'wide']), /CONTAINERS\s+IMAGES\s+SELECTOR[\s\S]*nginx\s+nginx:1\.25\s+app=web/);
    assert.match(await k.ok(['get', 'rs', '-n', NS]), /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\nweb-\S+\s+3\s+3\s+3\s+/m);
    const pods = (await json(['get', 'pods', '-l', 'app=web'])).items;
    assert.equal(pods.length, 3);
    assert.ok(pods.every((p: { status: { phase: string } }) => p.status.phase === 'Running'));
  });

  it('kubectl scale through the scale subresource', async () => {
    assert.match(await k.ok(['scale', 'deployment/web', '--replicas=5', '-n', NS]), /deployment\.apps\/web scaled/);
    await rollout('status', 'deployment/web', '--timeout=60s');
    assert.equal(await k.ok(['get', 'deploy', 'web', '-n', NS, '-o', 'jsonpath={.status.availableReplicas}']), '5');
    await k.ok(['scale', 'deployment/web', '--replicas=3', '-n', NS]);
    await eventually(async () => assert.equal((await json(['get', 'pods', '-l', 'app=web'])).items.length, 3), 60_000);
  });

  it('kubectl set image rolls out revision 2; rollout history lists change causes; undo goes back to the first template as revision 3', async () => {
    await k.ok(['annotate', 'deployment/web', '-n', NS, 'kubernetes.io/change-cause=first']);
    assert.match(await k.ok(['set', 'image', 'deployment/web', 'nginx=nginx:1.26', '-n', NS]), /deployment\.apps\/web image updated/);
    await k.ok(['annotate', 'deployment/web', '-n', NS, '--overwrite', 'kubernetes.io/change-cause=image 1.26']);
    assert.match(await rollout('status', 'deployment/web', '--timeout=60s'), /successfully rolled out/);
    const history = await rollout('history', 'deployment/web');
    assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+first\n2\s+image 1\.26/);
    assert.match(await rollout('history', 'deployment/web', '--revision=2'), /Image:\s+nginx:1\.26/);
    assert.equal(await k.ok(['get', 'deploy', 'web', '-n', NS, '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}']), '2');

    assert.match(await rollout('undo', 'deployment/web'), /deployment\.apps\/web rolled back/);
    assert.match(await rollout('status', 'deployment/web', '--timeout=60s'), /successfully rolled out/);
    assert.equal(await k.ok(['get', 'deploy', 'web', '-n', NS, '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'nginx:1.25');
    assert.match(await rollout('history', 'deployment/web'), /REVISION\s+CHANGE-CAUSE\n2\s+image 1\.26\n3\s+first/);
    assert.equal((await json(['get', 'rs', '-l', 'app=web'])).items.length, 2, 'the first ReplicaSet is reused');
    assert.match(await rollout('undo', 'deployment/web', '--to-revision=3'), /skipped rollback \(current template already matches revision 3\)/);
  });

  it('kubectl rollout restart makes a new ReplicaSet with the restartedAt annotation', async () => {
    assert.match(await rollout('restart', 'deployment/web'), /deployment\.apps\/web restarted/);
    await rollout('status', 'deployment/web', '--timeout=60s');
    assert.match(await k.ok(['get', 'deploy', 'web', '-n', NS, '-o', 'jsonpath={.spec.template.metadata.annotations}']), /kubectl\.kubernetes\.io\/restartedAt/);
    assert.equal(await k.ok(['get', 'deploy', 'web', '-n', NS, '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}']), '4');
  });

  it('kubectl rollout pause holds a new image back; undo is refused while paused; resume rolls it out', async () => {
    assert.match(await rollout('pause', 'deployment/web'), /deployment\.apps\/web paused/);
    await k.ok(['set', 'image', 'deployment/web', 'nginx=nginx:1.27', '-n', NS]);
    await eventually(async () => assert.equal(await k.ok(['get', 'deploy', 'web', '-n', NS, '-o', 'jsonpath={.status.conditions[?(@.type=="Progressing")].reason}']), 'DeploymentPaused'));
    const images = (await json(['get', 'pods', '-l', 'app=web'])).items.map((p: { spec: { containers: { image: string }[] } }) => p.spec.containers[0].image);
    assert.ok(!images.includes('nginx:1.27'), images.join());
    assert.match(await k.fails(['rollout', 'undo', 'deployment/web', '-n', NS]), /you cannot rollback a paused deployment; resume it first/);
    assert.match(await rollout('resume', 'deployment/web'), /deployment\.apps\/web resumed/);
    await rollout('status', 'deployment/web', '--timeout=60s');
    await eventually(async () => {
      const imgs = (await json(['get', 'pods', '-l', 'app=web'])).items.map((p: { spec: { containers: { image: string }[] } }) => p.spec.containers[0].image);
      assert.deepEqual([...new Set(imgs)], ['nginx:1.27']);
    }, 60_000);
  });

  it('kubectl describe tells the story in kube events; bad input gets kube errors', async () => {
    const described = await k.ok(['describe', 'deployment', 'web', '-n', NS]);
    assert.match(described, /StrategyType:\s+RollingUpdate/);
    assert.match(described, /RollingUpdateStrategy:\s+25% max unavailable, 25% max surge/);
    assert.match(described, /ScalingReplicaSet\s+.*Scaled up replica set web-\S+ from 0 to/);
    const bad = `apiVersion: apps/v1
kind: Deployment
metadata: {name: bad, namespace: ${NS}}
spec:
  selector: {matchLabels: {app: x}}
  strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}
  template:
    metadata: {labels: {app: y}}
    spec: {containers: [{name: c, image: nginx}]}
`;
    const err = await k.fails(['apply', '-f', '-'], bad);
    assert.match(err, /The Deployment "bad" is invalid/);
    assert.match(err, /spec\.template\.metadata\.labels: Invalid value: .*`selector` does not match template `labels`/);
    assert.match(err, /spec\.strategy\.rollingUpdate\.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0/);
    const immutable = await k.fails(['patch', 'deployment', 'web', '-n', NS, '--type=merge', '-p', '{"spec":{"selector":{"matchLabels":{"app":"other"}},"template":{"metadata":{"labels":{"app":"other"}}}}}']);
    assert.match(immutable, /spec\.selector: Invalid value: .*field is immutable/);
  });

  it('deleting the Deployment removes its ReplicaSets and pods', async () => {
    await k.ok(['delete', 'deployment', 'web', '-n', NS, '--wait']);
    await eventually(async () => {
      assert.equal((await json(['get', 'rs'])).items.length, 0);
      assert.equal((await json(['get', 'pods'])).items.length, 0);
    }, 60_000);
  });
});
