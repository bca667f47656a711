// Runs the pods bound to the agent's nodes: ONE informer over assigned pods
// (dispatched by spec.nodeName), one level-based reconcile per pod key that
// launches the pod (env resolved), hands the runtime a container whose
// definition changed (a new image) so it restarts it, as kubelet compares
// container hashes, terminates the pod when it is being deleted
// (runtime kill, then the final delete with grace 0), tears it down when its
// object is gone, and writes its status only when the computed status differs.
// Runtime changes re-enqueue the pod, so bursts of changes coalesce in the
// work queue into one status write.

import { isConflict, isNotFound } from '../api/errors.js';
import { deepEqual, nowIso, type KObject } from '../api/object.js';
import { Controller, type ReconcileResult } from '../client/controller.js';
import { Informer } from '../client/informer.js';
import type { Logger } from '../client/logger.js';
import { objectKey } from '../client/object-key.js';
import { SharedInformers } from '../client/shared-informers.js';
import type { Client, ResourceClient } from '../client/types.js';
import type { AgentNode, AgentStats } from './agent-node.js';
import { ConfigWaits } from './config-waits.js';
import { PodState } from './pod-state.js';
import { buildLaunch, cachedLookup } from './pod-launch.js';
import type { PodEvents } from './pod-events.js';
import { computePodStatus } from './pod-status.js';
import type { Runtime } from './runtime/types.js';

export const PODS = { group: '', version: 'v1', resource: 'pods' };
const FIRST_WRITE_GRACE_MS = 1000;

export interface PodSyncOptions {
  client: Client;
  runtime: Runtime;
  nodes: Map<string, AgentNode>;
  stats: AgentStats;
  log: Logger;
  events?: PodEvents;
  /** Concurrent reconciles (default 8). */
  workers?: number;
  /** First re-check of a pod waiting for a Secret/ConfigMap (default 2 s, doubling to 60 s). */
  configRetryMs?: number;
}

const nodeNameOf = (pod: KObject) => String((pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '');
const phaseOf = (pod: KObject) => (pod.status as { phase?: string } | undefined)?.phase;
const isTerminal = (pod: KObject) => phaseOf(pod) === 'Succeeded' || phaseOf(pod) === 'Failed';

export class PodSync {
  readonly informer: Informer;
  private readonly controller: Controller;
  private readonly pods: ResourceClient;
  private readonly states = new Map<string, PodState>();
  private readonly byUid = new Map<string, string>();
  private readonly configWaits: ConfigWaits;
  private readonly terminating = new Set<Promise<void>>();

  constructor(private readonly o: PodSyncOptions) {
    this.pods = o.client.resource(PODS);
    // One node: the server filters; many: every assigned pod, dispatched here by node name.
    const fieldSelector = o.nodes.size === 1 ? `spec.nodeName=${[...o.nodes.keys()][0]}` : 'spec.nodeName!=';
    this.informer = new Informer(this.pods, { fieldSelector, pageSize: 500, log: o.log });
    const opts = { name: 'node-agent', workers: o.workers ?? 8, log: o.log, queue: { baseDelayMs: 50, maxDelayMs: 30_000 } };
    this.controller = new Controller(opts, (key) => this.reconcile(key), new SharedInformers(o.client, { log: o.log }));
    const ours = (pod: KObject) => o.nodes.has(nodeNameOf(pod));
    this.controller.watchWith(this.informer, {
      onAdd: (pod) => ours(pod) && this.controller.enqueue(objectKey(pod)),
      onUpdate: (_old, pod) => {
        const key = objectKey(pod);
        const st = this.states.get(key);
        // Our own status write coming back: nothing new to do.
        if (st?.isOwnWrite(pod)) return;
        if (st || ours(pod)) this.controller.enqueue(key);
      },
      onDelete: (pod) => this.states.has(objectKey(pod)) && this.controller.enqueue(objectKey(pod)),
    });
    o.runtime.onChange((uid) => {
      const key = this.byUid.get(uid);
      if (key) this.controller.enqueue(key);
    });
    this.configWaits = new ConfigWaits(o.client, (key) => this.controller.enqueue(key), o.log);
  }

  /** Runs until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const informer = this.informer.start(signal);
    await this.controller.start(signal);
    this.configWaits.stop();
    await informer;
    await Promise.allSettled([...this.terminating]);
  }

  /** The pod, when it is bound to one of our nodes. */
  podOnNode(namespace: string, name: string): KObject | undefined {
    const pod = this.informer.get(namespace, name);
    return pod && this.o.nodes.has(nodeNameOf(pod)) ? pod : undefined;
  }

  private async reconcile(key: string): Promise<ReconcileResult | void> {
    const obj = this.informer.getByKey(key);
    const node = obj ? this.o.nodes.get(nodeNameOf(obj)) : undefined;
    let st = this.states.get(key);
    if (st && (!obj || !node || obj.metadata.uid !== st.uid)) {
      await this.teardown(key, st);
      st = undefined;
    }
    if (!obj || !node) return;
    if (!st) {
      st = new PodState(key, obj, node);
      this.states.set(key, st);
      this.byUid.set(st.uid, key);
    }
    if (obj.metadata.deletionTimestamp) return this.terminate(st, obj, node);
    const pod = st.current(obj);
    if (!st.launched && !isTerminal(pod)) {
      await this.launch(st, pod, node);
      // Containers usually start within moments, and their start re-enqueues the pod: one
      // write then says Running, instead of one for ContainerCreating and another right after.
      if (st.launched && !this.anyStarted(st)) return { requeueAfter: FIRST_WRITE_GRACE_MS };
    } else if (st.launched && !isTerminal(pod)) {
      const changed = st.changedContainers(pod);
      if (changed.length) await this.launch(st, pod, node, changed);
    }
    await this.writeStatus(st, pod, node);
    if (st.configErrors) return { requeueAfter: st.nextConfigRetry(this.o.configRetryMs ?? 2000) };
  }

  private anyStarted(st: PodState): boolean {
    return !!this.o.runtime.status(st.uid)?.containers.some((c) => !('waiting' in c.state));
  }

  /** Gives the runtime the pod; `changed`: it runs the pod already, and these containers have a new definition. */
  private async launch(st: PodState, pod: KObject, node: AgentNode, changed: string[] = []): Promise<void> {
    const ns = pod.metadata.namespace ?? 'default';
    const lookup = cachedLookup(this.o.client);
    const r = await buildLaunch(pod, { hostIP: node.ips.nodeIP, podIP: st.podIP, allocatable: node.allocatable, lookup });
    if ('errors' in r) {
      st.configErrors = r.errors;
      this.configWaits.wait(ns, st.key, pod);
      return;
    }
    if (st.configErrors) this.configWaits.done(ns, st.key);
    st.configResolved();
    if (changed.length) {
      // Kubelet kills (and says so) only a container that runs; any other takes the new image at its next start.
      const running = new Set(this.o.runtime.status(st.uid)?.containers.filter((c) => 'running' in c.state).map((c) => c.name));
      for (const name of changed) if (running.has(name)) this.o.events?.definitionChanged(pod, node.name, name);
    }
    this.o.runtime.sync(r.launch);
    st.launchedAs(pod);
  }

  private async writeStatus(st: PodState, pod: KObject, node: AgentNode): Promise<void> {
    const runtime = st.launched ? this.o.runtime.status(st.uid) : undefined;
    // A pod that finished before this agent started: its last status stands.
    if (!runtime && isTerminal(pod)) return;
    const status = computePodStatus({ pod, runtime, configErrors: st.configErrors, hostIP: node.ips.nodeIP, podIP: st.podIP, now: nowIso() });
    if (deepEqual(status, pod.status)) return;
    this.o.events?.statusChanged(pod, node.name, status);
    try {
      const written = await this.pods.updateStatus(pod.metadata.namespace, { ...pod, status });
      st.wrote(pod, written);
      this.o.stats.podStatusWrites++;
    } catch (e) {
      if (isNotFound(e)) return;
      if (isConflict(e)) this.o.stats.conflicts++;
      throw e;
    }
  }

  /** Kill, then remove the object; runs beside the workers so a long grace period blocks no one. */
  private terminate(st: PodState, pod: KObject, node: AgentNode): void {
    if (st.deleting) return;
    st.deleting = true;
    const spec = (pod.spec ?? {}) as { terminationGracePeriodSeconds?: number };
    const grace = pod.metadata.deletionGracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
    const { namespace, name } = pod.metadata;
    if (st.launched) this.o.events?.killing(pod, node.name);
    const p = (st.launched ? this.o.runtime.kill(st.uid, grace) : Promise.resolve())
      .then(() => this.pods.delete(namespace, name!, { gracePeriodSeconds: 0, preconditions: { uid: st.uid } }))
      .then(
        () => void this.o.stats.podDeletes++,
        (err) => {
          // Gone already, or the name now belongs to a new pod: either way this one is done.
          if (isNotFound(err) || isConflict(err)) return;
          this.o.log.warn({ pod: st.key, err }, 'agent: could not delete terminated pod');
          st.deleting = false;
          this.controller.queue.addRateLimited(st.key);
        },
      )
      .finally(() => this.terminating.delete(p));
    this.terminating.add(p);
  }

  private async teardown(key: string, st: PodState): Promise<void> {
    this.states.delete(key);
    this.byUid.delete(st.uid);
    if (st.configErrors) this.configWaits.done(key.slice(0, key.indexOf('/')), key);
    if (st.launched) {
      await this.o.runtime.kill(st.uid, 0);
      this.o.runtime.remove(st.uid);
    }
    st.releaseIP();
  }
}
