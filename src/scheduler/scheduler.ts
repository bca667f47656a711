// The scheduler: informers feed the cache (nodes, every pod's requests) and
// the queue (pods waiting for this scheduler); one loop takes a unit at a
// time (a pod, or a whole gang), decides synchronously against the cache and
// hands bindings to the binder, many in flight at once. Decisions never wait
// on I/O, so the cache a decision reads is exactly what the previous
// decisions left, and a gang can be tried and rolled back without anyone
// seeing the attempt.

import { isConflict, isNotFound } from '../api/errors.js';
import type { KObject } from '../api/object.js';
import type { Informer } from '../client/informer.js';
import { stderrLogger, type Logger } from '../client/logger.js';
import { objectKey } from '../client/object-key.js';
import { SharedInformers } from '../client/shared-informers.js';
import type { Client } from '../client/types.js';
import type { Binder } from './binder.js';
import { SchedulerCache } from './cache.js';
import { ConditionWriter } from './condition-writer.js';
import { GangPlanner } from './gang-planner.js';
import type { NodeInfo } from './node-info.js';
import { DEFAULT_SCHEDULER, isPendingFor, podInfo, workloadRefOf, type PodInfo, type WorkloadRef } from './pod-info.js';
import { placePod, type PlacementOptions } from './placement.js';
import { SchedulingQueue, type SchedulingQueueOptions } from './scheduling-queue.js';
import { WaitingUnits } from './waiting-units.js';
import { GangIndex, gangName, policyOf, WORKLOADS, type GroupPolicy } from './workloads.js';

/** Where the scheduler reports to users (an EventRecorder fits). */
export interface EventSink {
  event(obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

export interface SchedulerFeatureGates {
  GangScheduling?: boolean;
  GenericWorkload?: boolean;
}

export interface SchedulerOptions {
  client: Client;
  binder: Binder;
  events?: EventSink;
  featureGates?: SchedulerFeatureGates;
  /** Share informers with other controllers of the process. */
  informers?: SharedInformers;
  /** Pods whose spec.schedulerName is this (default `default-scheduler`). */
  schedulerName?: string;
  log?: Logger;
  queue?: SchedulingQueueOptions;
  placement?: PlacementOptions;
  /** Bindings written concurrently before decisions pause (default 256). */
  maxInFlightBinds?: number;
  /** How long a pod waits silently for its Workload or gang before its condition says so (default 1s). */
  waitingStatusDelayMs?: number;
  /** Record a `Scheduled` event per bound pod, as kube does (default true). */
  scheduledEvents?: boolean;
}

const PODS = { group: '', version: 'v1', resource: 'pods' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };

const POD_UNIT = 'p|';
const GANG_UNIT = 'g|';

export interface SchedulerStats {
  bound: number;
  bindFailures: number;
  unschedulableAttempts: number;
  /** PodScheduled=False conditions written. */
  conditionWrites: number;
}

export class Scheduler {
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  private readonly counts = { bound: 0, bindFailures: 0, unschedulableAttempts: 0 };
  readonly schedulerName: string;
  private readonly gangs = new GangIndex();
  private readonly informers: SharedInformers;
  private readonly ownInformers: boolean;
  private readonly log: Logger;
  private readonly gangOn: boolean;
  private workloadsOn = false;
  private pods!: Informer;
  private workloads?: Informer;
  private readonly writer: ConditionWriter;
  private readonly planner: GangPlanner;
  private readonly waiting = new WaitingUnits();
  private inFlight = 0;
  private slotWaiters: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly opts: SchedulerOptions) {
    this.schedulerName = opts.schedulerName ?? DEFAULT_SCHEDULER;
    this.log = opts.log ?? stderrLogger;
    this.ownInformers = !opts.informers;
    this.informers = opts.informers ?? new SharedInformers(opts.client, { log: this.log });
    this.queue = new SchedulingQueue(opts.queue);
    this.gangOn = opts.featureGates?.GangScheduling !== false;
    this.writer = new ConditionWriter(opts.client.resource(PODS), (key) => this.pods?.getByKey(key), this.log);
    this.planner = new GangPlanner(this.cache, opts.placement ?? {});
  }

  /** Runs until `signal` aborts; resolves once in-flight writes have settled. Runs once per instance. */
  async start(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const { client } = this.opts;
    const served = client.resources().some((rc) => rc.gvr.group === WORKLOADS.group && rc.gvr.version === WORKLOADS.version && rc.gvr.resource === WORKLOADS.resource);
    this.workloadsOn = served && this.opts.featureGates?.GenericWorkload !== false;
    this.pods = this.informers.informerFor(PODS);
    const nodes = this.informers.informerFor(NODES);
    this.workloads = this.workloadsOn ? this.informers.informerFor(WORKLOADS) : undefined;
    const removers = [
      nodes.addHandler({
        onAdd: (n) => this.nodeChanged(n),
        onUpdate: (_, n) => this.nodeChanged(n),
        onDelete: (n) => this.cache.removeNode(n.metadata.name ?? ''),
      }),
      this.pods.addHandler({
        onAdd: (p) => this.podChanged(undefined, p),
        onUpdate: (o, p) => this.podChanged(o, p),
        onDelete: (p) => this.podDeleted(p),
      }),
    ];
    if (this.workloads) {
      const wake = (w: KObject) => this.workloadAppeared(w);
      removers.push(this.workloads.addHandler({ onAdd: wake, onUpdate: (_, w) => wake(w) }));
    }
    const stop = () => this.queue.shutDown();
    signal.addEventListener('abort', stop, { once: true });
    this.informers.start(signal);
    const watched = [this.pods, nodes, ...(this.workloads ? [this.workloads] : [])];
    if (await this.informers.waitForSync(signal, watched)) {
      this.queue.start();
      await this.loop();
    }
    signal.removeEventListener('abort', stop);
    for (const r of removers) r();
    await this.settled();
    await this.writer.flush();
    if (this.ownInformers) await this.informers.stopped();
  }

  get stats(): SchedulerStats {
    return { ...this.counts, conditionWrites: this.writer.writes };
  }

  /** Resolves when no binding is in flight. */
  settled(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private async loop(): Promise<void> {
    const max = this.opts.maxInFlightBinds ?? 256;
    for (;;) {
      const unit = await this.queue.get();
      if (unit === undefined) return;
      try {
        this.process(unit);
      } catch (err) {
        this.log.error({ unit, err }, 'scheduling failed');
        this.queue.retry(unit);
      } finally {
        this.queue.done(unit);
      }
      if (this.inFlight >= max) await new Promise<void>((r) => this.slotWaiters.push(r));
    }
  }

  // ---- informer events ----

  private nodeChanged(node: KObject): void {
    if (this.cache.upsertNode(node)) this.queue.clusterChanged();
  }

  private podChanged(old: KObject | undefined, pod: KObject): void {
    if (this.cache.observePod(pod)) this.queue.clusterChanged();
    this.gangs.observe(pod);
    const pending = isPendingFor(pod, this.schedulerName);
    if (!pending) {
      if (old) this.writer.cancel(objectKey(pod));
      return;
    }
    // Our own condition writes change nothing that matters: only new pods, newly ungated ones, or spec changes.
    if (!old || !isPendingFor(old, this.schedulerName) || old.metadata.generation !== pod.metadata.generation) this.queue.add(this.unitOf(pod));
  }

  private podDeleted(pod: KObject): void {
    if (this.cache.removePod(pod)) this.queue.clusterChanged();
    this.gangs.remove(pod);
    this.writer.cancel(objectKey(pod));
    this.waiting.stop(POD_UNIT + objectKey(pod));
  }

  private workloadAppeared(w: KObject): void {
    for (const u of this.waiting.release(`${w.metadata.namespace}/${w.metadata.name}`)) this.queue.add(u);
  }

  // ---- decisions ----

  private policy(namespace: string, ref: WorkloadRef): GroupPolicy {
    return policyOf(this.workloads?.get(namespace, ref.name), ref);
  }

  /** A pod is its own unit unless it belongs to a gang the gang policy applies to. */
  private unitOf(pod: KObject): string {
    const ref = this.workloadsOn ? workloadRefOf(pod) : undefined;
    const ns = pod.metadata.namespace ?? '';
    if (ref && this.gangOn && this.policy(ns, ref).kind === 'gang') return GANG_UNIT + gangName(ns, ref);
    return POD_UNIT + objectKey(pod);
  }

  private process(unit: string): void {
    if (unit.startsWith(GANG_UNIT)) return this.processGang(unit, unit.slice(GANG_UNIT.length));
    const key = unit.slice(POD_UNIT.length);
    const pod = this.pods.getByKey(key);
    if (!pod || !isPendingFor(pod, this.schedulerName) || this.cache.isAssumed(key)) return this.settle(unit);
    const ref = this.workloadsOn ? workloadRefOf(pod) : undefined;
    if (ref) {
      const ns = pod.metadata.namespace ?? '';
      const policy = this.policy(ns, ref);
      if (policy.kind === 'missing') return this.wait(unit, [pod], policy.message, `${ns}/${ref.name}`);
      if (policy.kind === 'gang' && this.gangOn) {
        this.settle(unit);
        return this.queue.add(GANG_UNIT + gangName(ns, ref));
      }
    }
    if (this.scheduleOne(podInfo(pod))) this.settle(unit);
    else this.park(unit);
  }

  /** Places one pod or marks it unschedulable; true when placed. */
  private scheduleOne(pi: PodInfo): boolean {
    const r = placePod(this.cache, pi, this.opts.placement);
    if (r.node) {
      this.cache.assume(pi, r.node);
      this.bind(pi, r.node);
      return true;
    }
    this.unschedulable(pi.pod, r.diagnosis.message());
    return false;
  }

  private unschedulable(pod: KObject, message: string): void {
    this.counts.unschedulableAttempts++;
    this.writer.set(pod, message);
    this.opts.events?.event(pod, 'Warning', 'FailedScheduling', message);
  }

  private processGang(unit: string, gang: string): void {
    const members: KObject[] = [];
    for (const k of this.gangs.membersOf(gang)) {
      const p = this.pods.getByKey(k);
      if (p) members.push(p);
    }
    const ref = members.length ? workloadRefOf(members[0]) : undefined;
    if (!ref) return this.settle(unit);
    const ns = members[0].metadata.namespace ?? '';
    const pending = members.filter((p) => isPendingFor(p, this.schedulerName) && !this.cache.isAssumed(objectKey(p)));
    if (pending.length === 0) return this.settle(unit);
    const policy = this.policy(ns, ref);
    if (policy.kind === 'missing') return this.wait(unit, pending, policy.message, `${ns}/${ref.name}`);
    if (policy.kind !== 'gang' || !this.gangOn) {
      // Not a gang (any more): each member goes on its own.
      this.settle(unit);
      for (const p of pending) this.queue.add(POD_UNIT + objectKey(p));
      return;
    }
    const plan = this.planner.plan(gang, members, pending, policy.minCount, (p) => this.cache.isAssumed(objectKey(p)));
    if (plan.kind === 'waiting') return this.wait(unit, pending, plan.message);
    for (const [pi, node] of plan.placed) this.bind(pi, node);
    for (const f of plan.failed) this.unschedulable(f.pod, f.message);
    if (plan.failed.length) this.park(unit);
    else this.settle(unit);
  }

  /** The unit is done with (placed, gone, or handed on): forget its backoff and any wait. */
  private settle(unit: string): void {
    this.queue.forget(unit);
    this.waiting.stop(unit);
  }

  /** The unit was tried and did not fit: wait for a cluster change. */
  private park(unit: string): void {
    this.waiting.stop(unit);
    this.queue.park(unit);
  }

  /**
   * The unit cannot be tried yet (no Workload, or too few gang members). It is
   * not attempted, so no events; after a short grace its pods say why, which
   * keeps gangs that fill up quickly from costing a status write per pod.
   */
  private wait(unit: string, pods: KObject[], message: string, workloadKey?: string): void {
    this.queue.forget(unit);
    const left = (this.opts.waitingStatusDelayMs ?? 1000) - this.waiting.wait(unit, workloadKey, Date.now());
    if (left > 0) return this.queue.addAfter(unit, left);
    for (const p of pods) this.writer.set(p, message);
  }

  // ---- bindings ----

  private bind(pi: PodInfo, node: NodeInfo): void {
    const nodeName = node.name;
    this.inFlight++;
    this.writer.cancel(pi.key);
    this.opts.binder
      .bind(pi.pod, nodeName)
      .then(
        () => {
          this.counts.bound++;
          if (this.opts.scheduledEvents !== false) {
            this.opts.events?.event(pi.pod, 'Normal', 'Scheduled', `Successfully assigned ${pi.namespace}/${pi.name} to ${nodeName}`);
          }
        },
        (err) => this.bindFailed(pi, nodeName, err),
      )
      .finally(() => {
        this.inFlight--;
        this.slotWaiters.shift()?.();
        if (this.inFlight === 0) for (const w of this.idleWaiters.splice(0)) w();
      });
  }

  private bindFailed(pi: PodInfo, nodeName: string, err: unknown): void {
    this.counts.bindFailures++;
    if (this.cache.forget(pi.key, nodeName)) this.queue.clusterChanged();
    const routine = isConflict(err) || isNotFound(err);
    if (routine) this.log.debug({ pod: pi.key, node: nodeName, err }, 'binding rejected');
    else this.log.warn({ pod: pi.key, node: nodeName, err }, 'binding failed');
    // Bound elsewhere, deleted or replaced: the informer brings the truth. Otherwise try again.
    const cur = this.pods.getByKey(pi.key);
    if (cur && cur.metadata.uid === pi.uid && isPendingFor(cur, this.schedulerName)) this.queue.retry(this.unitOf(cur));
  }
}
