// All-or-nothing placement of a gang. Members are placed one after another
// against the live cache, each counted as it is placed so the next sees the
// room it took; if fewer than minCount end up with a node, every tentative
// placement is undone before anything else can look at the cache, so a gang
// that does not fit holds nothing and competing gangs cannot deadlock. Once a
// gang has its quorum bound, further members go one by one.

import type { KObject } from '../api/object.js';
import type { SchedulerCache } from './cache.js';
import type { NodeInfo } from './node-info.js';
import { byAge, nodeNameOf, podInfo, type PodInfo } from './pod-info.js';
import { placePod, type PlacementOptions } from './placement.js';
import { gangUnfitMessage, gangWaitingMessage } from './workloads.js';

export type GangPlan =
  | { kind: 'waiting'; message: string }
  | {
      kind: 'decided';
      /** Assumed in the cache already; the caller binds them. */
      placed: [PodInfo, NodeInfo][];
      /** Members left unplaced, with the message each should show. */
      failed: { pod: KObject; message: string }[];
    };

export class GangPlanner {
  constructor(
    private readonly cache: SchedulerCache,
    private readonly opts: PlacementOptions,
  ) {}

  /**
   * `members`: the gang's live pods; `pending`: those still to place (a subset).
   * `assumed` tells members placed by an earlier pass whose binding is not visible yet.
   */
  plan(gang: string, members: KObject[], pending: KObject[], minCount: number, assumed: (p: KObject) => boolean): GangPlan {
    let bound = 0;
    for (const p of members) if (nodeNameOf(p) !== '' || assumed(p)) bound++;
    if (bound < minCount && bound + pending.length < minCount) return { kind: 'waiting', message: gangWaitingMessage(gang, minCount) };
    const placed: [PodInfo, NodeInfo][] = [];
    const unplaced: { pod: KObject; message: string }[] = [];
    for (const p of [...pending].sort(byAge)) {
      const pi = podInfo(p);
      const r = placePod(this.cache, pi, this.opts);
      if (r.node) {
        this.cache.assume(pi, r.node);
        placed.push([pi, r.node]);
      } else unplaced.push({ pod: p, message: r.diagnosis.message() });
    }
    if (bound + placed.length >= minCount) return { kind: 'decided', placed, failed: unplaced };
    for (const [pi, node] of placed) this.cache.forget(pi.key, node.name);
    const message = gangUnfitMessage(gang, members.length, minCount, bound + placed.length, unplaced[0].message);
    return { kind: 'decided', placed: [], failed: pending.map((pod) => ({ pod, message })) };
  }
}
