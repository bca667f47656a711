// The Deployment and ReplicaSet controllers against a real in-process
// registry, the real scheduler and simulated nodes: creation, rolling update
// within maxSurge/maxUnavailable, Recreate, rollback reusing the old
// ReplicaSet, revision history limits, pause/resume, the progress deadline,
// and the scale subresource path.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KObject } from '../../api/object.js';
import { eventually } from '../../client/testing.js';
import { DEPLOYMENTS, PODS, REPLICA_SETS, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION } from './resources.js';
import { conditionOf, eventsFor, startWorkloadEnv, type WorkloadTestEnv } from './testing.js';

type Obj = Record<string, unknown>;

function deployment(ns: string, name: string, extra: { replicas?: number; image?: string; spec?: Obj; nodeSelector?: Record<string, string> } = {}): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas: extra.replicas ?? 3,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image: extra.image ?? 'nginx:1.25' }], ...(extra.nodeSelector ? { nodeSelector: extra.nodeSelector } : {}) },
      },
      ...extra.spec,
    },
  };
}

describe('deployment and replicaset controllers', () => {
  let env: WorkloadTestEnv;
  before(async () => {
    env = await startWorkloadEnv({ nodes: 3 });
  });
  after(async () => {
    await env.close();
  });

  const deployments = () => env.api.client.resource(DEPLOYMENTS);
  const sets = () => env.api.client.resource(REPLICA_SETS);
  const pods = () => env.api.client.resource(PODS);
  const get = (ns: string, name: string) => deployments().get(ns, name);
  const setsOf = async (ns: string) => (await sets().list(ns)).items.sort((a, b) => Number(a.metadata.annotations?.[REVISION_ANNOTATION]) - Number(b.metadata.annotations?.[REVISION_ANNOTATION]));
  const st = (o: KObject | undefined) => (o?.status ?? {}) as Obj;
  const complete = (ns: string, name: string, n: number) => async () => {
    const d = await get(ns, name);
    const s = st(d);
    return s.observedGeneration === d?.metadata.generation && s.updatedReplicas === n && s.replicas === n && s.availableReplicas === n && conditionOf(d, 'Progressing')?.reason === 'NewReplicaSetAvailable';
  };
  const patchImage = (ns: string, name: string, image: string) =>
    deployments().patch(ns, name, 'strategic', { spec: { template: { spec: { containers: [{ name: 'web', image }] } } } });

  it('creates a ReplicaSet <name>-<hash> at revision 1 whose pods become available; conditions and events as kube', async () => {
    const ns = 'create';
    const d = await deployments().create(ns, deployment(ns, 'web'));
    await eventually(complete(ns, 'web', 3), 'deployment complete', 30_000);
    const [rs] = await setsOf(ns);
    const hash = rs.metadata.labels?.['pod-template-hash'];
    assert.ok(hash);
    assert.equal(rs.metadata.name, `web-${hash}`);
    assert.equal(rs.metadata.annotations?.[REVISION_ANNOTATION], '1');
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '3');
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '4');
    assert.deepEqual(rs.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.deepEqual((rs.spec as Obj).selector, { matchLabels: { app: 'web', 'pod-template-hash': hash } });
    const list = (await pods().list(ns)).items;
    assert.equal(list.length, 3);
    for (const p of list) {
      assert.match(p.metadata.name!, new RegExp(`^web-${hash}-[a-z0-9]{5}$`));
      assert.equal(p.metadata.labels?.['pod-template-hash'], hash);
      assert.equal(p.metadata.ownerReferences?.[0].uid, rs.metadata.uid);
    }
    const done = (await get(ns, 'web'))!;
    assert.equal(done.metadata.annotations?.[REVISION_ANNOTATION], '1');
    assert.deepEqual(
      [conditionOf(done, 'Available')?.reason, conditionOf(done, 'Available')?.message],
      ['MinimumReplicasAvailable', 'Deployment has minimum availability.'],
    );
    assert.equal(conditionOf(done, 'Progressing')?.message, `ReplicaSet "web-${hash}" has successfully progressed.`);
    assert.equal(st(done).unavailableReplicas, 0);
    await eventually(async () => (await eventsFor(env.api, ns, 'web')).includes(`ScalingReplicaSet: Scaled up replica set web-${hash} from 0 to 3`), 'scaling event');
    await eventually(async () => (await eventsFor(env.api, ns, rs.metadata.name!)).filter((e) => e.startsWith('SuccessfulCreate: Created pod: ')).length === 3, 'pod events');
  });

  it('rolls out a new template within maxSurge 1 / maxUnavailable 0, then rolls back to the old ReplicaSet as revision 3', async () => {
    const ns = 'rolling';
    await deployments().create(ns, deployment(ns, 'web', { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } } }));
    await eventually(complete(ns, 'web', 3), 'first rollout', 30_000);
    // Watch the pods: never more than 4 exist, never fewer than 3 are ready.
    let maxPods = 0;
    let minReady = Infinity;
    const sample = setInterval(async () => {
      const items = (await pods().list(ns)).items.filter((p) => !p.metadata.deletionTimestamp);
      maxPods = Math.max(maxPods, items.length);
      const ready = items.filter((p) => ((p.status as Obj)?.conditions as Obj[] | undefined)?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
      minReady = Math.min(minReady, ready);
    }, 2);
    await patchImage(ns, 'web', 'nginx:1.26');
    await eventually(complete(ns, 'web', 3), 'rolled out', 30_000);
    clearInterval(sample);
    assert.ok(maxPods <= 4, `at most replicas + maxSurge pods: saw ${maxPods}`);
    assert.ok(minReady >= 3, `at least replicas - maxUnavailable ready: saw ${minReady}`);
    const [first, second] = await setsOf(ns);
    assert.equal((first.spec as Obj).replicas, 0);
    assert.equal((second.spec as Obj).replicas, 3);
    assert.equal(second.metadata.annotations?.[REVISION_ANNOTATION], '2');
    const events = await eventsFor(env.api, ns, 'web');
    assert.ok(events.includes(`ScalingReplicaSet: Scaled up replica set ${second.metadata.name} from 0 to 1`), events.join('\n'));
    assert.ok(events.includes(`ScalingReplicaSet: Scaled down replica set ${first.metadata.name} from 3 to 2`), events.join('\n'));

    await patchImage(ns, 'web', 'nginx:1.25');
    await eventually(async () => (await complete(ns, 'web', 3)()) && (await get(ns, 'web'))!.metadata.annotations?.[REVISION_ANNOTATION] === '3', 'rolled back', 30_000);
    const after = await setsOf(ns);
    assert.equal(after.length, 2, 'the old ReplicaSet is reused, not copied');
    const reused = after.find((rs) => rs.metadata.uid === first.metadata.uid)!;
    assert.equal(reused.metadata.annotations?.[REVISION_ANNOTATION], '3');
    assert.equal(reused.metadata.annotations?.[REVISION_HISTORY_ANNOTATION], '1');
    assert.equal((reused.spec as Obj).replicas, 3);
  });

  it('Recreate scales the old ReplicaSet to 0 and waits for its pods before starting new ones', async () => {
    const ns = 'recreate';
    await deployments().create(ns, deployment(ns, 'web', { replicas: 2, spec: { strategy: { type: 'Recreate' } } }));
    await eventually(complete(ns, 'web', 2), 'first rollout', 30_000);
    await patchImage(ns, 'web', 'nginx:1.26');
    await eventually(complete(ns, 'web', 2), 'recreated', 30_000);
    const [first, second] = await setsOf(ns);
    const events = await eventsFor(env.api, ns, 'web');
    const down = events.indexOf(`ScalingReplicaSet: Scaled down replica set ${first.metadata.name} from 2 to 0`);
    const up = events.indexOf(`ScalingReplicaSet: Scaled up replica set ${second.metadata.name} from 0 to 2`);
    assert.ok(down >= 0 && up > down, events.join('\n'));
    const d = (await get(ns, 'web'))!;
    assert.equal(((d.spec as Obj).strategy as Obj).rollingUpdate, undefined);
  });

  it('keeps revisionHistoryLimit old ReplicaSets', async () => {
    const ns = 'history';
    await deployments().create(ns, deployment(ns, 'web', { replicas: 1, spec: { revisionHistoryLimit: 1 } }));
    for (const image of ['nginx:1.26', 'nginx:1.27', 'nginx:1.28']) {
      await eventually(complete(ns, 'web', 1), 'rollout', 30_000);
      await patchImage(ns, 'web', image);
    }
    await eventually(complete(ns, 'web', 1), 'last rollout', 30_000);
    await eventually(async () => (await setsOf(ns)).length === 2, 'history trimmed to the limit plus the current one');
    assert.deepEqual((await setsOf(ns)).map((rs) => rs.metadata.annotations?.[REVISION_ANNOTATION]), ['3', '4']);
  });

  it('pause holds template changes back (DeploymentPaused); resume rolls them out; scaling works while paused', async () => {
    const ns = 'pause';
    await deployments().create(ns, deployment(ns, 'web', { replicas: 2 }));
    await eventually(complete(ns, 'web', 2), 'first rollout', 30_000);
    await deployments().patch(ns, 'web', 'strategic', { spec: { paused: true } });
    await patchImage(ns, 'web', 'nginx:1.26');
    await eventually(async () => conditionOf(await get(ns, 'web'), 'Progressing')?.reason === 'DeploymentPaused', 'paused condition');
    assert.equal(conditionOf(await get(ns, 'web'), 'Progressing')?.message, 'Deployment is paused');
    await deployments().patch(ns, 'web', 'merge', { spec: { replicas: 3 } }, {});
    await eventually(async () => st(await get(ns, 'web')).availableReplicas === 3, 'scaled while paused', 30_000);
    assert.equal((await setsOf(ns)).length, 1, 'no new ReplicaSet while paused');
    await deployments().patch(ns, 'web', 'strategic', { spec: { paused: false } });
    await eventually(async () => (await setsOf(ns)).length === 2 && (await complete(ns, 'web', 3)()), 'resumed roll-out', 30_000);
  });

  it('reports ProgressDeadlineExceeded when the new pods cannot run', async () => {
    const ns = 'deadline';
    await deployments().create(ns, deployment(ns, 'stuck', { replicas: 1, nodeSelector: { nowhere: 'true' }, spec: { progressDeadlineSeconds: 1 } }));
    await eventually(async () => conditionOf(await get(ns, 'stuck'), 'Progressing')?.reason === 'ProgressDeadlineExceeded', 'deadline exceeded', 20_000);
    const d = (await get(ns, 'stuck'))!;
    const [rs] = await setsOf(ns);
    assert.equal(conditionOf(d, 'Progressing')?.status, 'False');
    assert.equal(conditionOf(d, 'Progressing')?.message, `ReplicaSet "${rs.metadata.name}" has timed out progressing.`);
    assert.equal(conditionOf(d, 'Available')?.reason, 'MinimumReplicasUnavailable');
  });

  it('a ReplicaSet adopts a matching orphan pod and releases a pod whose labels stop matching', async () => {
    const ns = 'adopt';
    const orphan: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', namespace: ns, labels: { app: 'solo' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } };
    await pods().create(ns, orphan);
    const rs = await sets().create(ns, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'solo', namespace: ns },
      spec: { replicas: 2, selector: { matchLabels: { app: 'solo' } }, template: { metadata: { labels: { app: 'solo' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } } },
    });
    await eventually(async () => (await pods().get(ns, 'orphan'))?.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid, 'adopted');
    await eventually(async () => (await pods().list(ns)).items.filter((p) => !p.metadata.deletionTimestamp).length === 2, 'one more pod, not two');
    await pods().patch(ns, 'orphan', 'merge', { metadata: { labels: { app: 'elsewhere' } } });
    await eventually(async () => (await pods().get(ns, 'orphan'))?.metadata.ownerReferences === undefined, 'released');
    await eventually(async () => (await pods().list(ns, { labelSelector: 'app=solo' })).items.length === 2, 'replaced');
    await eventually(async () => (st(await sets().get(ns, 'solo')).readyReplicas === 2), 'status counts', 20_000);
  });
});
