// The scheduling cache: every node with the sum of what its pods request,
// updated incrementally from informer events and from the scheduler's own
// decisions. A pod the scheduler placed is "assumed" (counted at once, before
// its binding is written) and confirmed when the informer shows it bound;
// each pod is counted at most once, under its key, whichever arrives first.
// Every operation is O(1) in the number of nodes and pods.

import type { KObject } from '../api/object.js';
import { objectKey } from '../client/object-key.js';
import { NodeInfo } from './node-info.js';
import { isTerminal, nodeNameOf, type PodInfo } from './pod-info.js';
import { DEFAULT_SCORE_CPU, DEFAULT_SCORE_MEMORY, podRequests } from './resources.js';

interface PodRecord {
  uid: string;
  node: NodeInfo;
  cpu: number;
  memory: number;
  scoreCpu: number;
  scoreMemory: number;
  /** Placed by this scheduler; the informer has not shown the binding yet. */
  assumed: boolean;
}

export class SchedulerCache {
  private readonly byName = new Map<string, NodeInfo>();
  /** Nodes that exist, in a stable order the search rotates through. */
  readonly nodes: NodeInfo[] = [];
  private readonly pods = new Map<string, PodRecord>();
  /** Where the next feasibility search starts, so successive pods spread. */
  nextStart = 0;

  get nodeCount(): number {
    return this.nodes.length;
  }

  node(name: string): NodeInfo | undefined {
    const n = this.byName.get(name);
    return n && n.index >= 0 ? n : undefined;
  }

  /** Adds or updates a node; true when it may now take pods it could not before. */
  upsertNode(node: KObject): boolean {
    const name = node.metadata.name ?? '';
    const info = this.ensure(name);
    if (info.index < 0) {
      info.index = this.nodes.length;
      this.nodes.push(info);
    }
    return info.setNode(node);
  }

  removeNode(name: string): void {
    const info = this.byName.get(name);
    if (!info || info.index < 0) return;
    const last = this.nodes.pop()!;
    if (last !== info) {
      this.nodes[info.index] = last;
      last.index = info.index;
    }
    info.index = -1;
    info.node = undefined;
    this.dropIfEmpty(info);
  }

  /**
   * Brings a pod's accounting in line with the informer's view of it. Returns
   * true when this freed resources on a node (the pod ended or moved away).
   */
  observePod(pod: KObject): boolean {
    const key = objectKey(pod);
    const rec = this.pods.get(key);
    const uid = pod.metadata.uid ?? '';
    const nodeName = nodeNameOf(pod);
    const counts = nodeName !== '' && !isTerminal(pod);
    if (rec && rec.uid === uid && counts && rec.node.name === nodeName) {
      rec.assumed = false;
      return false;
    }
    // An assumed pod still shows unbound until its binding arrives: keep counting it.
    if (rec && rec.uid === uid && rec.assumed && nodeName === '' && !isTerminal(pod) && !pod.metadata.deletionTimestamp) return false;
    const freed = rec ? this.drop(key, rec) : false;
    if (counts) {
      const r = podRequests((pod.spec ?? {}) as Record<string, unknown>);
      this.add(key, { uid, node: this.ensure(nodeName), cpu: r.cpu, memory: r.memory, scoreCpu: r.cpu || DEFAULT_SCORE_CPU, scoreMemory: r.memory || DEFAULT_SCORE_MEMORY, assumed: false });
    }
    return freed;
  }

  /** The pod is gone; true when it held resources. */
  removePod(pod: KObject): boolean {
    const key = objectKey(pod);
    const rec = this.pods.get(key);
    return rec ? this.drop(key, rec) : false;
  }

  /** Counts `pod` on `node` now, ahead of the binding. */
  assume(pod: PodInfo, node: NodeInfo): void {
    const old = this.pods.get(pod.key);
    if (old) this.drop(pod.key, old);
    this.add(pod.key, { uid: pod.uid, node, cpu: pod.cpu, memory: pod.memory, scoreCpu: pod.scoreCpu, scoreMemory: pod.scoreMemory, assumed: true });
  }

  /** Undoes an assumption (binding failed, or a gang is rolled back); true when one was undone. */
  forget(key: string, nodeName: string): boolean {
    const rec = this.pods.get(key);
    if (!rec || !rec.assumed || rec.node.name !== nodeName) return false;
    this.drop(key, rec);
    return true;
  }

  isAssumed(key: string): boolean {
    return this.pods.get(key)?.assumed === true;
  }

  /** The node a pod is counted on, if any. */
  placement(key: string): string | undefined {
    return this.pods.get(key)?.node.name;
  }

  private ensure(name: string): NodeInfo {
    let info = this.byName.get(name);
    if (!info) this.byName.set(name, (info = new NodeInfo(name)));
    return info;
  }

  private add(key: string, rec: PodRecord): void {
    this.pods.set(key, rec);
    const n = rec.node;
    n.cpu += rec.cpu;
    n.memory += rec.memory;
    n.scoreCpu += rec.scoreCpu;
    n.scoreMemory += rec.scoreMemory;
    n.pods++;
  }

  private drop(key: string, rec: PodRecord): boolean {
    this.pods.delete(key);
    const n = rec.node;
    n.cpu -= rec.cpu;
    n.memory -= rec.memory;
    n.scoreCpu -= rec.scoreCpu;
    n.scoreMemory -= rec.scoreMemory;
    n.pods--;
    this.dropIfEmpty(n);
    return true;
  }

  /** Nodes known only because pods named them are forgotten with their last pod. */
  private dropIfEmpty(n: NodeInfo): void {
    if (n.index < 0 && n.pods === 0) this.byName.delete(n.name);
  }
}
