// When each NoExecute taint was added, for taints that do not say so
// themselves (`kubectl taint` sets no timeAdded): the time this process first
// saw the taint, remembered per node until the taint or the node goes away.

import type { KObject } from '../../api/object.js';
import { nodeTaints, type Taint } from './taints.js';

const id = (t: Taint) => `${t.key}\u0000${t.effect}`;

export class TaintClock {
  private readonly seen = new Map<string, Map<string, number>>();

  addedAt(nodeName: string, taint: Taint, now: number): number {
    const stated = taint.timeAdded ? Date.parse(taint.timeAdded) : NaN;
    if (!Number.isNaN(stated)) return stated;
    let node = this.seen.get(nodeName);
    if (!node) this.seen.set(nodeName, (node = new Map()));
    let at = node.get(id(taint));
    if (at === undefined) node.set(id(taint), (at = now));
    return at;
  }

  /** Drops what is remembered about taints the node no longer has. */
  prune(node: KObject): void {
    const remembered = this.seen.get(node.metadata.name!);
    if (!remembered) return;
    const present = new Set(nodeTaints(node).map(id));
    for (const k of remembered.keys()) if (!present.has(k)) remembered.delete(k);
    if (remembered.size === 0) this.seen.delete(node.metadata.name!);
  }

  forget(nodeName: string): void {
    this.seen.delete(nodeName);
  }
}
