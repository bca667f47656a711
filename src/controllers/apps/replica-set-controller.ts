// The ReplicaSet controller: keeps spec.replicas active pods of the
// template, adopting orphans its selector matches and releasing pods that no
// longer match, and reports counts and a ReplicaFailure condition in status.
//
// Level-based: each pass re-reads the informers, counts the pods (with
// Expectations covering its own writes the informer has not shown yet),
// creates or deletes the difference, and writes status only when it changed.

import { fromLabelSelector, type LabelSelector } from '../../api/label-selector.js';
import { deepEqual, isPlainObject, nowIso, type KObject } from '../../api/object.js';
import { section } from '../../api/core/columns.js';
import { controllerFor, type Controller } from '../../client/controller.js';
import { EventRecorder } from '../../client/event-recorder.js';
import type { Informer } from '../../client/informer.js';
import { stderrLogger, type Logger } from '../../client/logger.js';
import { keyOf } from '../../client/object-key.js';
import { SharedInformers } from '../../client/shared-informers.js';
import type { Client } from '../../client/types.js';
import { CreateBackoff } from '../compute/create-backoff.js';
import { Expectations } from '../compute/expectations.js';
import { byExpendability, isActive } from '../compute/pod-state.js';
import { availableInMs } from './pod-availability.js';
import { PodControl, podFromTemplate } from './pod-control.js';
import { adoptAndRelease } from './adoption.js';
import { CONTROLLER_INDEX, NAMESPACE_INDEX, ORPHAN_INDEX, PODS, REPLICA_SETS, controllerIndexer, namespaceIndexer, orphanIndexer } from './resources.js';

/** kube's burstReplicas: at most this many creates or deletes per pass. */
const BURST = 500;

export interface ReplicaSetControllerOptions {
  informers?: SharedInformers;
  log?: Logger;
  workers?: number;
  recorder?: EventRecorder;
}

export function replicaSetController(client: Client, opts: ReplicaSetControllerOptions = {}): Controller {
  const log = opts.log ?? stderrLogger;
  const informers = opts.informers ?? new SharedInformers(client, { log });
  const pods = informers.informerFor(PODS, { [CONTROLLER_INDEX]: controllerIndexer, [ORPHAN_INDEX]: orphanIndexer });
  const sets = informers.informerFor(REPLICA_SETS, { [NAMESPACE_INDEX]: namespaceIndexer });
  const recorder = opts.recorder ?? new EventRecorder(client, { component: 'replicaset-controller', log });
  const r = new ReplicaSetReconciler(client, pods, sets, recorder);
  pods.addHandler(r.expectationsHandler());
  return controllerFor(client, { name: 'replicaset-controller', workers: opts.workers ?? 4, informers, log })
    .for(REPLICA_SETS)
    .owns(PODS)
    // An orphan pod may be adopted by a set in its namespace whose selector matches it.
    .watches(PODS, (p) => (p.metadata.ownerReferences?.some((o) => o.controller) ? undefined : r.setsSelecting(p)))
    .complete(r);
}

type Obj = Record<string, unknown>;
const num = (v: unknown, d = 0) => (typeof v === 'number' ? v : d);

export class ReplicaSetReconciler {
  private readonly expectations = new Expectations();
  private readonly control: PodControl;
  private readonly backoff = new CreateBackoff();

  constructor(
    private readonly client: Client,
    private readonly pods: Informer,
    private readonly sets: Informer,
    private readonly recorder: EventRecorder,
  ) {
    this.control = new PodControl(client, this.expectations, recorder);
  }

  expectationsHandler() {
    const observe = (p: KObject, gone: boolean) => {
      const ref = p.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'ReplicaSet');
      if (ref) this.expectations.observe(keyOf(p.metadata.namespace, ref.name), p, gone);
    };
    return { onAdd: (p: KObject) => observe(p, false), onUpdate: (_o: KObject, p: KObject) => observe(p, false), onDelete: (p: KObject) => observe(p, true) };
  }

  setsSelecting(pod: KObject): string[] {
    return this.sets
      .byIndex(NAMESPACE_INDEX, pod.metadata.namespace ?? '')
      .filter((rs) => matches(rs, pod))
      .map((rs) => keyOf(rs.metadata.namespace, rs.metadata.name!));
  }

  async reconcile(key: string): Promise<{ requeueAfter: number } | void> {
    const rs = this.sets.getByKey(key);
    if (!rs) {
      this.expectations.forget(key);
      this.backoff.forget(key);
      return;
    }
    const owned = await adoptAndRelease(this.client, PODS, rs, this.pods.byIndex(CONTROLLER_INDEX, rs.metadata.uid ?? ''), this.pods.byIndex(ORPHAN_INDEX, rs.metadata.namespace ?? ''), (p) => matches(rs, p), isActive);
    const pods = this.expectations.view(key, owned);
    const active = pods.filter(isActive);
    const want = num(section(rs, 'spec').replicas, 1);
    let failure: string | undefined;
    let retryIn: number | undefined;
    if (!rs.metadata.deletionTimestamp) {
      const diff = active.length - want;
      if (diff < 0) {
        const blocked = this.backoff.blocked(key, rs.metadata.generation);
        if (blocked) ({ failure, retryInMs: retryIn } = blocked);
        else {
          const count = Math.min(-diff, BURST);
          const template = section(rs, 'spec').template;
          const made = await this.control.create(key, rs, Array.from({ length: count }, () => podFromTemplate(rs, template, {})));
          failure = made.failure;
          retryIn = this.backoff.record(key, rs.metadata.generation, failure);
        }
      } else {
        this.backoff.forget(key);
        if (diff > 0) await this.control.delete(key, rs, [...active].sort(byExpendability).slice(0, Math.min(diff, BURST)));
      }
    }
    const now = Date.now();
    const { status, nextAvailableIn } = replicaSetStatus(rs, this.expectations.view(key, owned), failure, now);
    await this.writeStatus(rs, status);
    const after = Math.min(retryIn ?? Infinity, nextAvailableIn ?? Infinity);
    return after === Infinity ? undefined : { requeueAfter: after };
  }

  private async writeStatus(rs: KObject, status: Obj): Promise<void> {
    if (deepEqual(rs.status ?? {}, status)) return;
    await this.client.resource(REPLICA_SETS).updateStatus(rs.metadata.namespace, { ...rs, status });
  }
}

function matches(rs: KObject, pod: KObject): boolean {
  const sel = section(rs, 'spec').selector;
  if (!isPlainObject(sel)) return false;
  try {
    return fromLabelSelector(sel as LabelSelector)(pod.metadata.labels ?? {});
  } catch {
    return false;
  }
}

/** Counts from the pods, and the ReplicaFailure condition while creates are refused. */
export function replicaSetStatus(rs: KObject, pods: KObject[], failure: string | undefined, now: number): { status: Obj; nextAvailableIn?: number } {
  const spec = section(rs, 'spec');
  const minReady = num(spec.minReadySeconds);
  const templateLabels = (isPlainObject(spec.template) && isPlainObject(spec.template.metadata) ? spec.template.metadata.labels : {}) as Record<string, string>;
  let replicas = 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  let terminating = 0;
  let nextAvailableIn: number | undefined;
  for (const p of pods) {
    if (p.metadata.deletionTimestamp) {
      terminating++;
      continue;
    }
    if (!isActive(p)) continue;
    replicas++;
    const labels = p.metadata.labels ?? {};
    if (Object.entries(templateLabels ?? {}).every(([k, v]) => labels[k] === v)) fullyLabeled++;
    const wait = availableInMs(p, minReady, now);
    if (wait !== undefined) {
      ready++;
      if (wait === 0) available++;
      else nextAvailableIn = Math.min(nextAvailableIn ?? Infinity, wait);
    }
  }
  const old = section(rs, 'status');
  const status: Obj = { replicas, fullyLabeledReplicas: fullyLabeled, readyReplicas: ready, availableReplicas: available, terminatingReplicas: terminating, observedGeneration: rs.metadata.generation ?? 1 };
  const prior = Array.isArray(old.conditions) ? (old.conditions as Obj[]).find((c) => c.type === 'ReplicaFailure') : undefined;
  if (failure) {
    const message = failure;
    status.conditions = [prior && prior.message === message ? prior : { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message, lastTransitionTime: nowIso() }];
  }
  return { status, nextAvailableIn };
}
