// Picking a node for one pod: find feasible nodes (stopping early on large
// fleets, as kube's percentageOfNodesToScore does), score them by least
// allocated cpu and memory, and pick the best, breaking ties at random so
// equal nodes share the load. Pure over the cache: no I/O, no allocation per
// node visited.

import type { SchedulerCache } from './cache.js';
import { Diagnosis } from './fit-error.js';
import { fits } from './filters.js';
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';

export interface PlacementOptions {
  /** Percentage of the fleet searched for feasible nodes before scoring; 0 or unset: kube's adaptive default. */
  percentageOfNodesToScore?: number;
  /** Tie-breaking source, injectable for tests. */
  random?: () => number;
}

export type Placement = { node: NodeInfo; diagnosis?: undefined } | { node?: undefined; diagnosis: Diagnosis };

const MIN_FEASIBLE = 100;

/** kube's numFeasibleNodesToFind: all of a small fleet, else 50% minus 1% per 125 nodes, at least 5%, at least 100 nodes. */
export function numFeasibleNodesToFind(total: number, percentage = 0): number {
  if (total < MIN_FEASIBLE || percentage >= 100) return total;
  let pct = percentage;
  if (pct <= 0) pct = Math.max(5, 50 - Math.floor(total / 125));
  return Math.max(MIN_FEASIBLE, Math.floor((total * pct) / 100));
}

/** LeastAllocated: the mean free fraction of cpu and memory after placing the pod, 0-100. */
export function leastAllocatedScore(pod: PodInfo, node: NodeInfo): number {
  return (free(node.allocCpu, node.scoreCpu + pod.scoreCpu) + free(node.allocMemory, node.scoreMemory + pod.scoreMemory)) / 2;
}

function free(alloc: number, requested: number): number {
  if (alloc <= 0 || requested > alloc) return 0;
  return ((alloc - requested) * 100) / alloc;
}

// One scratch array reused across calls: placement runs one pod at a time.
const feasible: NodeInfo[] = [];

export function placePod(cache: SchedulerCache, pod: PodInfo, opts: PlacementOptions = {}): Placement {
  const nodes = cache.nodes;
  const total = nodes.length;
  if (total === 0) return { diagnosis: new Diagnosis(0) };
  const want = numFeasibleNodesToFind(total, opts.percentageOfNodesToScore);
  const start = cache.nextStart % total;
  feasible.length = 0;
  let visited = 0;
  while (visited < total && feasible.length < want) {
    const n = nodes[(start + visited) % total];
    visited++;
    if (fits(pod, n)) feasible.push(n);
  }
  cache.nextStart = (start + visited) % total;
  if (feasible.length === 0) return { diagnosis: diagnose(cache, pod) };
  const random = opts.random ?? Math.random;
  let best = feasible[0];
  let bestScore = -1;
  let ties = 0;
  for (const n of feasible) {
    const s = leastAllocatedScore(pod, n);
    if (s > bestScore) {
      best = n;
      bestScore = s;
      ties = 1;
    } else if (s === bestScore && random() * ++ties < 1) best = n;
  }
  feasible.length = 0;
  return { node: best };
}

/** Why no node fits: every node's reasons, counted. Only on the failure path. */
export function diagnose(cache: SchedulerCache, pod: PodInfo): Diagnosis {
  const d = new Diagnosis(cache.nodes.length);
  const reasons: string[] = [];
  for (const n of cache.nodes) {
    reasons.length = 0;
    if (!fits(pod, n, reasons)) d.add(reasons);
  }
  return d;
}
