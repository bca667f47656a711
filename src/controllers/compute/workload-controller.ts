// Reconciles compute.miloapis.com Workloads: keeps `replicas` pods of the
// current template (rolling template changes one pod at a time, surge 1,
// unavailable 0), waits for the referenced Network and gives pods addresses
// from it, reports counts, phase and conditions in status, and on deletion
// removes the pods before letting the Workload go (finalizer).
//
// Level-based: each pass re-reads the informers, plans one step
// (rollout-plan.ts), acts, and writes status only when it changed. Pods this
// controller created or deleted but the informer has not shown yet are
// accounted for by Expectations, so a pass never acts twice on one change.

import { networkCidr } from '../../api/compute/network.js';
import { isPlainObject, nowIso, type KObject } from '../../api/object.js';
import { controllerFor, type Controller } from '../../client/controller.js';
import { EventRecorder } from '../../client/event-recorder.js';
import type { Informer } from '../../client/informer.js';
import { stderrLogger, type Logger } from '../../client/logger.js';
import { keyOf, objectKey } from '../../client/object-key.js';
import { SharedInformers } from '../../client/shared-informers.js';
import type { Client } from '../../client/types.js';
import { readConditions } from './conditions.js';
import { CreateBackoff } from './create-backoff.js';
import { Expectations } from './expectations.js';
import { IpAllocator } from './ip-allocator.js';
import { controllingWorkload, desiredReplicas, networkName, templateImages } from './pod-template.js';
import { podFacts } from './pod-state.js';
import { PodWriter, type NetworkTarget } from './pod-writer.js';
import { DEFAULT_PROGRESS_DEADLINE_SECONDS, ProgressClock } from './progress-deadline.js';
import { NETWORKS, PODS, RESOURCE_QUOTAS, WORKLOAD_FINALIZER, WORKLOADS } from './resources.js';
import { planRollout } from './rollout-plan.js';
import { templateHash } from './template-hash.js';
import { WorkloadStatusWriter } from './workload-status-writer.js';
import { summarize, workloadStatus } from './workload-status.js';

export const CONTROLLER_UID_INDEX = 'compute.miloapis.com/controller-uid';
const NETWORK_REF_INDEX = 'compute.miloapis.com/network-ref';
const NAMESPACE_INDEX = 'namespace';

export interface WorkloadControllerOptions {
  informers?: SharedInformers;
  log?: Logger;
  workers?: number;
  /** Default 600. */
  progressDeadlineSeconds?: number;
  /** Shared with the network controller; one is made (tracking the pod informer) when absent. */
  allocator?: IpAllocator;
  recorder?: EventRecorder;
}

/** What a pod's template hash covers: everything that shapes the pods, so changing any of it rolls them. */
export function workloadHash(w: KObject): string {
  const spec = isPlainObject(w.spec) ? w.spec : {};
  return templateHash({ template: spec.template, provider: spec.provider, networkRef: spec.networkRef });
}

const hasFinalizer = (w: KObject) => (w.metadata.finalizers ?? []).includes(WORKLOAD_FINALIZER);

/** Keeps the allocator current from the pod informer (call before the informer syncs or after: adds are replayed). */
export function trackPodAddresses(allocator: IpAllocator, pods: Informer): void {
  pods.addHandler({
    onAdd: (p) => allocator.observe(p),
    onUpdate: (_o, p) => allocator.observe(p),
    onDelete: (p) => allocator.release(p.metadata.namespace ?? '', p.metadata.name ?? ''),
  });
}

export function workloadController(client: Client, opts: WorkloadControllerOptions = {}): Controller {
  const log = opts.log ?? stderrLogger;
  const informers = opts.informers ?? new SharedInformers(client, { log });
  const pods = informers.informerFor(PODS, {
    [CONTROLLER_UID_INDEX]: (p) => {
      const c = controllingWorkload(p);
      return c ? [c.uid] : [];
    },
  });
  const workloads = informers.informerFor(WORKLOADS, {
    [NETWORK_REF_INDEX]: (w) => {
      const n = networkName(w);
      return n ? [keyOf(w.metadata.namespace, n)] : [];
    },
    [NAMESPACE_INDEX]: (w) => [w.metadata.namespace ?? ''],
  });
  const served = (apiVersion: string, kind: string) => client.forKind(apiVersion, kind) !== undefined;
  const networks = served('networking.miloapis.com/v1alpha1', 'Network') ? informers.informerFor(NETWORKS) : undefined;
  let allocator = opts.allocator;
  if (!allocator) trackPodAddresses((allocator = new IpAllocator()), pods);
  const recorder = opts.recorder ?? new EventRecorder(client, { component: 'workload-controller', log });
  const r = new WorkloadReconciler(client, { pods, workloads, networks }, allocator, recorder, log, opts.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS);
  pods.addHandler(r.expectationsHandler());
  let b = controllerFor(client, { name: 'workload-controller', workers: opts.workers ?? 4, informers, log }).for(WORKLOADS).owns(PODS);
  const inNamespace = (o: KObject) => workloads.byIndex(NAMESPACE_INDEX, o.metadata.namespace ?? '').map(objectKey);
  if (networks) b = b.watches(NETWORKS, (n) => workloads.byIndex(NETWORK_REF_INDEX, objectKey(n)).map(objectKey));
  // A raised quota lets refused creates through: retry at once rather than at the next backoff.
  if (served('v1', 'ResourceQuota')) {
    b = b.watches(RESOURCE_QUOTAS, (q) => {
      const keys = inNamespace(q);
      for (const k of keys) r.unblock(k);
      return keys;
    });
  }
  return b.complete(r);
}

interface Sources {
  pods: Informer;
  workloads: Informer;
  networks?: Informer;
}

export class WorkloadReconciler {
  private readonly expectations = new Expectations();
  private readonly writer: PodWriter;
  private readonly statusWriter: WorkloadStatusWriter;
  private readonly clock: ProgressClock;
  /** Per workload: replicas last announced in a scaling event. */
  private readonly scaledTo = new Map<string, number>();
  /** Per workload: the template hash whose roll-out was announced (`done:` once complete). */
  private readonly rollouts = new Map<string, string>();
  private readonly failing = new Map<string, string>();
  private readonly backoff = new CreateBackoff();

  constructor(
    private readonly client: Client,
    private readonly src: Sources,
    allocator: IpAllocator,
    private readonly recorder: EventRecorder,
    log: Logger,
    progressDeadlineSeconds: number,
  ) {
    this.writer = new PodWriter(client, allocator, this.expectations, recorder, log);
    this.statusWriter = new WorkloadStatusWriter(client);
    this.clock = new ProgressClock(progressDeadlineSeconds * 1000);
  }

  expectationsHandler() {
    const observe = (p: KObject, gone: boolean) => {
      const c = controllingWorkload(p);
      if (c) this.expectations.observe(keyOf(p.metadata.namespace, c.name), p, gone);
    };
    return { onAdd: (p: KObject) => observe(p, false), onUpdate: (_o: KObject, p: KObject) => observe(p, false), onDelete: (p: KObject) => observe(p, true) };
  }

  private podsOf(key: string, w: KObject): KObject[] {
    return this.expectations.view(key, this.src.pods.byIndex(CONTROLLER_UID_INDEX, w.metadata.uid ?? ''));
  }

  private forget(key: string): void {
    for (const m of [this.scaledTo, this.rollouts, this.failing]) m.delete(key);
    this.backoff.forget(key);
    this.expectations.forget(key);
    this.clock.forget(key);
    this.statusWriter.forget(key);
  }

  async reconcile(key: string): Promise<{ requeueAfter: number } | void> {
    let w = this.src.workloads.getByKey(key);
    if (!w) return this.forget(key);
    if (w.metadata.deletionTimestamp) return this.finalize(key, w);
    if (!hasFinalizer(w)) {
      w = await this.client.resource(WORKLOADS).update(w.metadata.namespace, { ...w, metadata: { ...w.metadata, finalizers: [...(w.metadata.finalizers ?? []), WORKLOAD_FINALIZER] } });
    }
    const hash = workloadHash(w);
    const want = desiredReplicas(w);
    const net = this.network(w);
    const plan = planRollout(this.podsOf(key, w).filter((p) => podFacts(p).active), hash, want);
    this.announce(key, w, hash, plan.current.length, plan.old.length);
    await this.writer.delete(key, w, plan.deletes);
    const wantsCreate = plan.creates > 0 && !net.missing;
    const blocked = wantsCreate ? this.backoff.blocked(key, w.metadata.generation) : undefined;
    let failure = blocked?.failure;
    let retryIn = blocked?.retryInMs;
    if (wantsCreate && !blocked) {
      failure = (await this.writer.create(key, w, hash, plan.creates, net.target)).failure;
      retryIn = this.backoff.record(key, w.metadata.generation, failure);
    } else if (!wantsCreate) this.backoff.forget(key);
    const pods = this.podsOf(key, w);
    const s = summarize(w, pods, hash);
    const timedOut = readConditions(w.status).some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
    const signature = `${w.metadata.generation}/${s.replicas}/${s.updated}/${s.updatedReady}/${s.ready}`;
    const clock = this.clock.check(key, signature, s.complete || !!net.missing, timedOut);
    const status = workloadStatus(w, { pods, hash, missingNetwork: net.missing, createFailure: failure, deadlineExceeded: clock.exceeded, now: nowIso() });
    this.statusEvents(key, w, status, s.failing, s.complete, hash);
    await this.statusWriter.write(key, w, status);
    const after = Math.min(retryIn ?? Infinity, clock.remainingMs ?? Infinity);
    return after === Infinity ? undefined : { requeueAfter: Math.max(0, after) };
  }

  /** A quota changed: refused creates may pass now. */
  unblock(key: string): void {
    this.backoff.unblock(key);
  }

  /** The Network pods join (none without a networkRef); `missing` names an absent Network. */
  private network(w: KObject): { target?: NetworkTarget; missing?: string } {
    const name = networkName(w);
    if (!name) return {};
    const n = this.src.networks?.get(w.metadata.namespace, name);
    if (!n || n.metadata.deletionTimestamp) return { missing: name };
    return { target: { name, cidr: networkCidr(n) } };
  }

  private announce(key: string, w: KObject, hash: string, current: number, old: number): void {
    const want = desiredReplicas(w);
    const before = this.scaledTo.get(key) ?? current + old;
    if (before !== want) {
      const verb = want > before ? 'up' : 'down';
      this.recorder.event(w, 'Normal', 'ScalingReplicaSet', `Scaled ${verb} to ${want} from ${before}`);
    }
    this.scaledTo.set(key, want);
    if (old > 0 && this.rollouts.get(key) !== hash) {
      this.rollouts.set(key, hash);
      this.recorder.event(w, 'Normal', 'RollingUpdate', `Rolling out template ${hash} (${templateImages(w)}): replacing ${old} pods one at a time`);
    }
  }

  private statusEvents(key: string, w: KObject, status: Record<string, unknown>, failing: string | undefined, complete: boolean, hash: string): void {
    const progressing = readConditions(status).find((c) => c.type === 'Progressing');
    const before = readConditions(w.status).find((c) => c.type === 'Progressing');
    if (progressing && progressing.reason !== before?.reason) {
      if (progressing.reason === 'NetworkNotFound') this.recorder.event(w, 'Warning', 'NetworkNotFound', progressing.message ?? '');
      if (progressing.reason === 'ProgressDeadlineExceeded') this.recorder.event(w, 'Warning', 'ProgressDeadlineExceeded', progressing.message ?? '');
    }
    if (failing && this.failing.get(key) !== failing) this.recorder.event(w, 'Warning', 'PodFailing', failing);
    if (failing) this.failing.set(key, failing);
    else this.failing.delete(key);
    if (complete && this.rollouts.get(key) === hash) {
      this.rollouts.set(key, `done:${hash}`);
      this.recorder.event(w, 'Normal', 'RolloutComplete', `Rolled out template ${hash} to ${desiredReplicas(w)} pods`);
    }
  }

  /** Deleting: remove every pod, then the finalizer. */
  private async finalize(key: string, w: KObject): Promise<void> {
    if (!hasFinalizer(w)) return this.forget(key);
    // `--cascade=orphan`: the garbage collector releases the pods; they stay.
    const orphan = (w.metadata.finalizers ?? []).includes('orphan');
    if (!orphan) await this.writer.delete(key, w, this.podsOf(key, w).filter((p) => !p.metadata.deletionTimestamp));
    const left = orphan ? [] : this.podsOf(key, w);
    await this.statusWriter.write(key, w, workloadStatus(w, { pods: left, hash: workloadHash(w), now: nowIso() }));
    if (left.length > 0) return; // their deletions reconcile this key again
    const workloads = this.client.resource(WORKLOADS);
    const fresh = await workloads.get(w.metadata.namespace, w.metadata.name!);
    if (!fresh || !hasFinalizer(fresh)) return;
    await workloads.update(w.metadata.namespace, { ...fresh, metadata: { ...fresh.metadata, finalizers: (fresh.metadata.finalizers ?? []).filter((f) => f !== WORKLOAD_FINALIZER) } });
  }
}
