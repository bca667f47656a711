// The Deployment controller: one ReplicaSet per pod-template revision, rolled
// from old to new by the RollingUpdate (maxSurge / maxUnavailable) or
// Recreate strategy, with revision annotations (`deployment.kubernetes.io/
// revision`), history limited to revisionHistoryLimit, pause, and status and
// conditions as kube reports them (what `kubectl rollout` reads).
//
// Level-based: each pass re-reads the informers (overlaid with the sets this
// controller just wrote, so a lagging informer never undoes a step), takes the
// next step, and writes status when it changed. ScalingReplicaSet events tell
// the story.

import { isAlreadyExists } from '../../api/errors.js';
import { fromLabelSelector, type LabelSelector } from '../../api/label-selector.js';
import { deepEqual, isPlainObject, type KObject } from '../../api/object.js';
import { section } from '../../api/core/columns.js';
import { controllerFor, type Controller } from '../../client/controller.js';
import { EventRecorder } from '../../client/event-recorder.js';
import type { Informer } from '../../client/informer.js';
import { stderrLogger, type Logger } from '../../client/logger.js';
import { SharedInformers } from '../../client/shared-informers.js';
import type { Client, ResourceClient } from '../../client/types.js';
import { isFinished } from '../compute/pod-state.js';
import { adoptAndRelease } from './adoption.js';
import { newReplicasRolling, scaleDownOld, scaleOnly } from './deployment-rollout.js';
import { calculateStatus, conditionIn, isComplete, setCondition, syncProgressing } from './deployment-status.js';
import { desiredReplicas, equalIgnoreHash, fenceposts, maxRevision, newReplicaSet, podTemplateHash, revisionOf, specReplicas, statusOf, wantedAnnotations } from './deployment-util.js';
import { CONTROLLER_INDEX, DEPLOYMENTS, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, NAMESPACE_INDEX, ORPHAN_INDEX, PODS, REPLICA_SETS, REVISION_ANNOTATION, controllerIndexer, namespaceIndexer, orphanIndexer } from './resources.js';

export interface DeploymentControllerOptions {
  informers?: SharedInformers;
  log?: Logger;
  workers?: number;
  recorder?: EventRecorder;
}

export function deploymentController(client: Client, opts: DeploymentControllerOptions = {}): Controller {
  const log = opts.log ?? stderrLogger;
  const informers = opts.informers ?? new SharedInformers(client, { log });
  const sets = informers.informerFor(REPLICA_SETS, { [CONTROLLER_INDEX]: controllerIndexer, [ORPHAN_INDEX]: orphanIndexer });
  const deployments = informers.informerFor(DEPLOYMENTS, { [NAMESPACE_INDEX]: namespaceIndexer });
  const pods = informers.informerFor(PODS, { [CONTROLLER_INDEX]: controllerIndexer });
  const recorder = opts.recorder ?? new EventRecorder(client, { component: 'deployment-controller', log });
  const r = new DeploymentReconciler(client, deployments, sets, pods, recorder);
  return controllerFor(client, { name: 'deployment-controller', workers: opts.workers ?? 4, informers, log })
    .for(DEPLOYMENTS)
    .owns(REPLICA_SETS)
    // Recreate waits for the old pods to be gone: their deletions move it on.
    .watches(PODS, (p) => r.deploymentOfPod(p))
    .complete(r);
}

type Obj = Record<string, unknown>;
const rvNumber = (o: KObject) => Number(o.metadata.resourceVersion ?? 0);

export class DeploymentReconciler {
  /** The sets this controller wrote last, by uid: newer than the informer until it catches up. */
  private readonly written = new Map<string, KObject>();
  private readonly sets: ResourceClient;
  private readonly deploymentsRc: ResourceClient;

  constructor(
    private readonly client: Client,
    private readonly deployments: Informer,
    private readonly setInformer: Informer,
    private readonly pods: Informer,
    private readonly recorder: EventRecorder,
  ) {
    this.sets = client.resource(REPLICA_SETS);
    this.deploymentsRc = client.resource(DEPLOYMENTS);
  }

  deploymentOfPod(pod: KObject): string | undefined {
    const ref = pod.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'ReplicaSet');
    if (!ref) return undefined;
    const rs = this.setInformer.get(pod.metadata.namespace, ref.name);
    const dref = rs?.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'Deployment');
    if (!dref) return undefined;
    // Only Recreate waits on pods; a rolling update moves on ReplicaSet status alone.
    const d = this.deployments.get(pod.metadata.namespace, dref.name);
    return d && strategyType(d) === 'Recreate' ? `${pod.metadata.namespace}/${dref.name}` : undefined;
  }

  private fresh(rs: KObject): KObject {
    const w = this.written.get(rs.metadata.uid ?? '');
    if (!w) return rs;
    if (rvNumber(w) > rvNumber(rs)) return w;
    this.written.delete(rs.metadata.uid ?? '');
    return rs;
  }

  async reconcile(key: string): Promise<{ requeueAfter: number } | void> {
    const d = this.deployments.getByKey(key);
    if (!d || d.metadata.deletionTimestamp) return;
    const sel = section(d, 'spec').selector;
    const matcher = isPlainObject(sel) ? safeMatcher(sel as LabelSelector) : () => false;
    const owned = await adoptAndRelease(this.client, REPLICA_SETS, d, this.setInformer.byIndex(CONTROLLER_INDEX, d.metadata.uid ?? ''), this.setInformer.byIndex(ORPHAN_INDEX, d.metadata.namespace ?? ''), (rs) => matcher(rs.metadata.labels ?? {}));
    let all = owned.filter((rs) => !rs.metadata.deletionTimestamp).map((rs) => this.fresh(rs));
    let newRS = all.find((rs) => equalIgnoreHash(section(rs, 'spec').template, section(d, 'spec').template));
    const paused = section(d, 'spec').paused === true;
    const status: Obj = { ...section(d, 'status') };
    let created = false;
    if (!newRS && !paused) {
      const made = await this.createNewReplicaSet(d, all);
      if (!made) return; // a hash collision: status carries the new collisionCount, whose write brings us back
      newRS = made;
      created = true;
      all = [...all, newRS];
    } else if (newRS && !paused) {
      newRS = await this.syncNewReplicaSetAnnotations(d, newRS, maxRevision(all.filter((rs) => rs !== newRS)) + 1);
      all = all.map((rs) => (rs.metadata.uid === newRS!.metadata.uid ? newRS! : rs));
    }
    const old = all.filter((rs) => rs !== newRS);
    if (paused) await this.apply(d, scaleOnly(d, newRS, old));
    else if (strategyType(d) === 'Recreate') await this.recreate(d, newRS!, old);
    else await this.rolling(d, all, newRS!, old);
    all = all.map((rs) => this.fresh(rs));
    newRS = newRS ? all.find((rs) => rs.metadata.uid === newRS!.metadata.uid) : undefined;
    await this.syncRevisionAnnotation(d, newRS);
    const next = calculateStatus(d, all, newRS);
    if (created) setCondition(next, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${newRS!.metadata.name}"` });
    else if (newRS && !conditionIn(next, 'Progressing')) setCondition(next, { type: 'Progressing', status: 'True', reason: 'FoundNewReplicaSet', message: `Found new replica set "${newRS.metadata.name}"` });
    let requeue: number | undefined;
    const progressing = conditionIn(status, 'Progressing');
    if (paused) {
      if (progressing?.reason !== 'DeploymentPaused') setCondition(next, { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    } else if (progressing?.reason === 'DeploymentPaused') {
      setCondition(next, { type: 'Progressing', status: 'Unknown', reason: 'DeploymentResumed', message: 'Deployment is resumed' });
    } else if (!created) requeue = syncProgressing(d, next, newRS, Date.now());
    else if (typeof section(d, 'spec').progressDeadlineSeconds === 'number') requeue = (section(d, 'spec').progressDeadlineSeconds as number) * 1000;
    if (paused || isComplete(d, next)) await this.cleanupHistory(d, old);
    if (!deepEqual(section(d, 'status'), next)) await this.deploymentsRc.updateStatus(d.metadata.namespace, { ...d, status: next });
    return requeue === undefined ? undefined : { requeueAfter: requeue + 50 };
  }

  private async createNewReplicaSet(d: KObject, all: readonly KObject[]): Promise<KObject | undefined> {
    const hash = podTemplateHash(d);
    const revision = maxRevision(all) + 1;
    const replicas = strategyType(d) === 'Recreate' ? 0 : newReplicasRolling(d, all, undefined);
    const rs = newReplicaSet(d, hash, replicas, revision);
    try {
      const made = await this.sets.create(d.metadata.namespace, rs);
      this.remember(made);
      if (replicas > 0) this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${made.metadata.name} from 0 to ${replicas}`);
      return made;
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      const existing = await this.sets.get(d.metadata.namespace, rs.metadata.name!);
      const ours = existing?.metadata.ownerReferences?.some((o) => o.controller && o.uid === d.metadata.uid);
      if (existing && ours && equalIgnoreHash(section(existing, 'spec').template, section(d, 'spec').template)) return existing;
      // Same name, other template: a hash collision. Bump collisionCount so the next hash differs.
      const collisions = typeof section(d, 'status').collisionCount === 'number' ? (section(d, 'status').collisionCount as number) : 0;
      await this.deploymentsRc.updateStatus(d.metadata.namespace, { ...d, status: { ...section(d, 'status'), collisionCount: collisions + 1 } });
      return undefined;
    }
  }

  private async syncNewReplicaSetAnnotations(d: KObject, rs: KObject, revision: number): Promise<KObject> {
    const annotations = wantedAnnotations(d, rs, revisionOf(rs) >= revision ? revisionOf(rs) : revision);
    const minReady = section(d, 'spec').minReadySeconds ?? 0;
    if (deepEqual(annotations, rs.metadata.annotations ?? {}) && (section(rs, 'spec').minReadySeconds ?? 0) === minReady) return rs;
    const updated = await this.sets.update(rs.metadata.namespace, { ...rs, metadata: { ...rs.metadata, annotations }, spec: { ...section(rs, 'spec'), minReadySeconds: minReady } });
    this.remember(updated);
    return updated;
  }

  private async rolling(d: KObject, all: KObject[], newRS: KObject, old: KObject[]): Promise<void> {
    const up = newReplicasRolling(d, all, newRS);
    if (up !== specReplicas(newRS)) {
      await this.apply(d, new Map([[newRS, up]]));
      all = all.map((rs) => this.fresh(rs));
      newRS = all.find((rs) => rs.metadata.uid === newRS.metadata.uid)!;
      old = all.filter((rs) => rs !== newRS);
    }
    await this.apply(d, scaleDownOld(d, all, newRS, old));
  }

  private async recreate(d: KObject, newRS: KObject, old: KObject[]): Promise<void> {
    await this.apply(d, new Map(old.filter((rs) => specReplicas(rs) > 0).map((rs) => [rs, 0] as [KObject, number])));
    // New pods start only once every old pod is gone (a terminating pod still runs).
    const oldRunning = old.some((rs) => statusOf(rs, 'replicas') > 0 || this.pods.byIndex(CONTROLLER_INDEX, rs.metadata.uid ?? '').some((p) => !isFinished(p)));
    if (oldRunning) return;
    if (specReplicas(newRS) !== desiredReplicas(d)) await this.apply(d, new Map([[newRS, desiredReplicas(d)]]));
  }

  /** Writes the new spec.replicas of each set, with kube's replica annotations and a ScalingReplicaSet event. */
  private async apply(d: KObject, plan: Map<KObject, number>): Promise<void> {
    for (const [rs, replicas] of plan) {
      const before = specReplicas(rs);
      if (before === replicas) continue;
      const annotations = { ...(rs.metadata.annotations ?? {}), [DESIRED_REPLICAS_ANNOTATION]: String(desiredReplicas(d)), [MAX_REPLICAS_ANNOTATION]: String(desiredReplicas(d) + fenceposts(d).surge) };
      const updated = await this.sets.update(rs.metadata.namespace, { ...rs, metadata: { ...rs.metadata, annotations }, spec: { ...section(rs, 'spec'), replicas } });
      this.remember(updated);
      this.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${replicas > before ? 'up' : 'down'} replica set ${rs.metadata.name} from ${before} to ${replicas}`);
    }
  }

  private remember(rs: KObject): void {
    this.written.set(rs.metadata.uid ?? '', rs);
  }

  /** The Deployment carries its newest revision (what `kubectl rollout history` starts from). */
  private async syncRevisionAnnotation(d: KObject, newRS: KObject | undefined): Promise<void> {
    if (!newRS) return;
    const revision = String(revisionOf(newRS));
    if (d.metadata.annotations?.[REVISION_ANNOTATION] === revision) return;
    await this.deploymentsRc.patch(d.metadata.namespace, d.metadata.name!, 'merge', { metadata: { annotations: { [REVISION_ANNOTATION]: revision } } });
  }

  /** Deletes the oldest scaled-down sets beyond revisionHistoryLimit. */
  private async cleanupHistory(d: KObject, old: KObject[]): Promise<void> {
    const limit = section(d, 'spec').revisionHistoryLimit;
    if (typeof limit !== 'number') return;
    const idle = old.filter((rs) => specReplicas(rs) === 0 && statusOf(rs, 'replicas') === 0 && !rs.metadata.deletionTimestamp).sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
      try {
        await this.sets.delete(rs.metadata.namespace, rs.metadata.name!, { preconditions: { uid: rs.metadata.uid } });
      } catch {
        /* already gone or changed: the next pass sees it */
      }
    }
  }
}

function safeMatcher(sel: LabelSelector): (labels: Record<string, string>) => boolean {
  try {
    return fromLabelSelector(sel);
  } catch {
    return () => false;
  }
}

const strategyType = (d: KObject) => {
  const s = section(d, 'spec').strategy;
  return isPlainObject(s) ? s.type : undefined;
};
