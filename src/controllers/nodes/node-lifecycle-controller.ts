// Watches node heartbeats (Leases in kube-node-lease, and the Ready
// condition's lastHeartbeatTime) like kube's node lifecycle controller. A node
// silent for longer than the grace period gets its conditions set to Unknown,
// its pods marked not ready, and the `unreachable` taints, whose NoExecute
// half lets the taint eviction controller move its pods away. A node the
// agent reports Ready=False gets the `not-ready` taints instead; a cordoned
// node gets `unschedulable:NoSchedule`. Each node waits with requeueAfter
// until its own deadline: there is no loop over the fleet.

import { isNotFound } from '../../api/errors.js';
import { clone, isPlainObject, nowIso, type KObject } from '../../api/object.js';
import { controllerFor, type Controller } from '../../client/controller.js';
import { EventRecorder } from '../../client/event-recorder.js';
import type { Informer } from '../../client/informer.js';
import type { Logger } from '../../client/logger.js';
import { SharedInformers } from '../../client/shared-informers.js';
import type { Client, ResourceClient } from '../../client/types.js';
import { lastHeartbeat, markConditionsUnknown, markPodNotReady, readyStatus } from './node-health.js';
import { DEFAULT_NODE_LIFECYCLE_OPTIONS } from './options.js';
import { BY_NODE, isTerminal, LEASES, NODES, PODS, podNodeName, podsByNode } from './resources.js';
import {
  NO_EXECUTE,
  NO_SCHEDULE,
  nodeTaints,
  reconcileTaints,
  TAINT_NOT_READY,
  TAINT_UNREACHABLE,
  TAINT_UNSCHEDULABLE,
  type Taint,
} from './taints.js';

export interface NodeLifecycleControllerOptions {
  gracePeriodSeconds?: number;
  leaseNamespace?: string;
  informers?: SharedInformers;
  /** Records NodeNotReady; default: a recorder with component `node-controller`. */
  recorder?: EventRecorder;
  log?: Logger;
}

const MANAGED_TAINTS = [TAINT_UNREACHABLE, TAINT_NOT_READY, TAINT_UNSCHEDULABLE];

export function nodeLifecycleController(client: Client, opts: NodeLifecycleControllerOptions = {}): Controller {
  const informers = opts.informers ?? new SharedInformers(client, { log: opts.log });
  const r = new NodeLifecycleReconciler(client, informers, opts);
  const leaseNamespace = opts.leaseNamespace ?? DEFAULT_NODE_LIFECYCLE_OPTIONS.leaseNamespace;
  return controllerFor(client, { name: 'node-lifecycle-controller', informers, log: opts.log })
    .for(NODES)
    .watches(LEASES, (lease) => (lease.metadata.namespace === leaseNamespace ? lease.metadata.name : undefined))
    // Pods that still look ready on a silent node (bound late, or raced with the marking).
    .watches(PODS, (pod) => (r.isSilent(podNodeName(pod)) ? podNodeName(pod) : undefined))
    .complete(r);
}

export class NodeLifecycleReconciler {
  private readonly nodes: Informer;
  private readonly leases: Informer;
  private readonly pods: Informer;
  private readonly nodeClient: ResourceClient;
  private readonly podClient: ResourceClient;
  private readonly recorder: EventRecorder;
  private readonly graceMs: number;
  private readonly leaseNamespace: string;
  /** When this controller first saw each node: every node gets a full grace period after a restart. */
  private readonly firstSeen = new Map<string, number>();
  private readonly silent = new Set<string>();

  constructor(client: Client, informers: SharedInformers, opts: NodeLifecycleControllerOptions) {
    this.nodes = informers.informerFor(NODES);
    this.leases = informers.informerFor(LEASES);
    this.pods = podsByNode(informers);
    this.nodeClient = client.resource(NODES);
    this.podClient = client.resource(PODS);
    this.recorder = opts.recorder ?? new EventRecorder(client, { component: 'node-controller', log: opts.log });
    this.graceMs = (opts.gracePeriodSeconds ?? DEFAULT_NODE_LIFECYCLE_OPTIONS.gracePeriodSeconds) * 1000;
    this.leaseNamespace = opts.leaseNamespace ?? DEFAULT_NODE_LIFECYCLE_OPTIONS.leaseNamespace;
  }

  /** True while the node's heartbeat is overdue (as of its last reconcile). */
  isSilent(nodeName: string): boolean {
    return nodeName !== '' && this.silent.has(nodeName);
  }

  async reconcile(name: string): Promise<{ requeueAfter: number } | void> {
    const node = this.nodes.get(undefined, name);
    if (!node) {
      this.firstSeen.delete(name);
      this.silent.delete(name);
      return;
    }
    const now = Date.now();
    let seen = this.firstSeen.get(name);
    if (seen === undefined) this.firstSeen.set(name, (seen = now));
    const deadline = Math.max(lastHeartbeat(node, this.leases.get(this.leaseNamespace, name)) ?? 0, seen) + this.graceMs;
    const silent = now >= deadline;
    let current = node;
    if (silent) {
      this.silent.add(name);
      current = await this.markUnknown(node);
      await this.markPodsNotReady(name);
    } else this.silent.delete(name);
    await this.syncTaints(current, silent);
    if (!silent) return { requeueAfter: deadline - now };
  }

  private async markUnknown(node: KObject): Promise<KObject> {
    const copy = clone(node);
    if (!markConditionsUnknown(copy, nowIso())) return node;
    const was = readyStatus(node);
    const updated = await this.nodeClient.updateStatus(undefined, copy);
    if (was !== 'Unknown') this.recorder.event(updated, 'Normal', 'NodeNotReady', `Node ${node.metadata.name} status is now: NodeNotReady`);
    return updated;
  }

  private async markPodsNotReady(nodeName: string): Promise<void> {
    const now = nowIso();
    for (const pod of this.pods.byIndex(BY_NODE, nodeName)) {
      if (isTerminal(pod)) continue;
      const copy = clone(pod);
      if (!markPodNotReady(copy, now)) continue;
      try {
        await this.podClient.updateStatus(pod.metadata.namespace, copy);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }

  /** Brings the taints this controller owns in line with the node's health; others are left alone. */
  private async syncTaints(node: KObject, silent: boolean): Promise<void> {
    const desired: Taint[] = [];
    const noExecute = (key: string): Taint => ({ key, effect: NO_EXECUTE, timeAdded: nowIso() });
    if (silent) desired.push({ key: TAINT_UNREACHABLE, effect: NO_SCHEDULE }, noExecute(TAINT_UNREACHABLE));
    else if (readyStatus(node) === 'False') desired.push({ key: TAINT_NOT_READY, effect: NO_SCHEDULE }, noExecute(TAINT_NOT_READY));
    if (isPlainObject(node.spec) && node.spec.unschedulable === true) desired.push({ key: TAINT_UNSCHEDULABLE, effect: NO_SCHEDULE });
    const next = reconcileTaints(nodeTaints(node), MANAGED_TAINTS, desired);
    if (!next) return;
    const copy = clone(node);
    const spec = (copy.spec = isPlainObject(copy.spec) ? copy.spec : {});
    if (next.length) spec.taints = next;
    else delete spec.taints;
    await this.nodeClient.update(undefined, copy);
  }
}
