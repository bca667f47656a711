// Taint-based eviction (kube's taint eviction controller): a pod bound to a
// node with NoExecute taints is deleted at once when it does not tolerate one
// of them, or once the shortest matching tolerationSeconds has passed since
// the taint was added. Pods that tolerate without a limit stay.
//
// Beyond kube: a pod being deleted on an unreachable node has no agent left
// to confirm its end, so once its grace period is over it is force-deleted
// (grace 0) and controllers that replace pods can proceed. kube leaves such
// pods Terminating until the node comes back or an operator marks it
// out-of-service.

import { isConflict, isNotFound } from '../../api/errors.js';
import type { KObject } from '../../api/object.js';
import { controllerFor, type Controller } from '../../client/controller.js';
import { EventRecorder } from '../../client/event-recorder.js';
import type { Informer } from '../../client/informer.js';
import type { Logger } from '../../client/logger.js';
import { objectKey, splitKey } from '../../client/object-key.js';
import { SharedInformers } from '../../client/shared-informers.js';
import type { Client, ResourceClient } from '../../client/types.js';
import { BY_NODE, NODES, PODS, podNodeName, podsByNode } from './resources.js';
import { TaintClock } from './taint-clock.js';
import { evictionDeadline, noExecuteTaints, nodeTaints, podTolerations, TAINT_UNREACHABLE } from './taints.js';

export interface TaintEvictionControllerOptions {
  informers?: SharedInformers;
  /** Records TaintManagerEviction; default: a recorder with component `taint-eviction-controller`. */
  recorder?: EventRecorder;
  workers?: number;
  log?: Logger;
}

export function taintEvictionController(client: Client, opts: TaintEvictionControllerOptions = {}): Controller {
  const informers = opts.informers ?? new SharedInformers(client, { log: opts.log });
  const r = new TaintEvictionReconciler(client, informers, opts);
  const nodes = informers.informerFor(NODES);
  const pods = podsByNode(informers);
  const tainted = (nodeName: string) => {
    const node = nodeName ? nodes.get(undefined, nodeName) : undefined;
    return !!node && noExecuteTaints(node).length > 0;
  };
  const c = controllerFor(client, { name: 'taint-eviction-controller', informers, workers: opts.workers ?? 2, log: opts.log })
    .watches(PODS, (pod) => (tainted(podNodeName(pod)) ? objectKey(pod) : undefined))
    // Called with the old and the new node: pods are revisited when NoExecute taints come and go.
    .watches(NODES, (node) => (noExecuteTaints(node).length ? pods.byIndex(BY_NODE, node.metadata.name!).map(objectKey) : undefined))
    .complete(r);
  c.watchWith(nodes, { onUpdate: (_, node) => r.clock.prune(node), onDelete: (node) => r.clock.forget(node.metadata.name!) });
  return c;
}

export class TaintEvictionReconciler {
  readonly clock = new TaintClock();
  private readonly nodes: Informer;
  private readonly pods: Informer;
  private readonly podClient: ResourceClient;
  private readonly recorder: EventRecorder;

  constructor(client: Client, informers: SharedInformers, opts: TaintEvictionControllerOptions) {
    this.nodes = informers.informerFor(NODES);
    this.pods = podsByNode(informers);
    this.podClient = client.resource(PODS);
    this.recorder = opts.recorder ?? new EventRecorder(client, { component: 'taint-eviction-controller', log: opts.log });
  }

  async reconcile(key: string): Promise<{ requeueAfter: number } | void> {
    const { namespace, name } = splitKey(key);
    const pod = this.pods.get(namespace, name);
    const nodeName = pod ? podNodeName(pod) : '';
    const node = nodeName ? this.nodes.get(undefined, nodeName) : undefined;
    if (!pod || !node) return;
    const now = Date.now();
    if (pod.metadata.deletionTimestamp) return this.finishOnUnreachable(pod, node, now);
    const taints = noExecuteTaints(node);
    if (taints.length === 0) return;
    const deadline = evictionDeadline(taints, podTolerations(pod), (t) => this.clock.addedAt(nodeName, t, now), now);
    if (deadline === Infinity) return;
    if (deadline > now) return { requeueAfter: deadline - now };
    if (await this.remove(pod)) {
      this.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${namespace}/${name}`);
    }
  }

  private async finishOnUnreachable(pod: KObject, node: KObject, now: number): Promise<{ requeueAfter: number } | void> {
    if (!nodeTaints(node).some((t) => t.key === TAINT_UNREACHABLE)) return;
    const due = Date.parse(pod.metadata.deletionTimestamp!);
    if (due > now) return { requeueAfter: due - now };
    await this.remove(pod, 0);
  }

  /** Deletes this very pod (not a namesake created since); false when it was already gone. */
  private async remove(pod: KObject, gracePeriodSeconds?: number): Promise<boolean> {
    try {
      await this.podClient.delete(pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds, preconditions: { uid: pod.metadata.uid } });
      return true;
    } catch (e) {
      // A failed uid precondition means the pod we judged is gone already.
      if (isNotFound(e) || (isConflict(e) && /Precondition failed/.test((e as Error).message))) return false;
      throw e;
    }
  }
}
