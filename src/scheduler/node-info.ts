// A node as the scheduler sees it: allocatable amounts and the sums of what
// pods on it request, kept current incrementally by the cache, plus the
// static facts filters read (labels, taints, cordon, readiness).

import { isPlainObject, type KObject } from '../api/object.js';
import { quantity } from './resources.js';
import { TAINT_NOT_READY, TAINT_UNREACHABLE, type Taint } from './taints.js';

type Obj = Record<string, unknown>;

export class NodeInfo {
  /** The Node object; undefined while pods name a node the informer has not shown (or no longer shows). */
  node?: KObject;
  allocCpu = 0;
  allocMemory = 0;
  allocPods = 0;
  /** Sums over the pods counted on this node (bound and assumed). */
  cpu = 0;
  memory = 0;
  pods = 0;
  scoreCpu = 0;
  scoreMemory = 0;
  labels: Readonly<Record<string, string>> = {};
  /** NoSchedule and NoExecute taints only (the ones filtering looks at), readiness taints included. */
  taints: Taint[] = [];
  unschedulable = false;
  /** Position in the cache's node list, -1 when not schedulable-to (no Node object). */
  index = -1;

  constructor(readonly name: string) {}

  /**
   * Takes the facts of a new version of the Node. Returns true when the node
   * may now accept pods it refused before (more room, fewer taints, new labels,
   * uncordoned, Ready), which is when unschedulable pods deserve another try.
   */
  setNode(node: KObject): boolean {
    const spec: Obj = isPlainObject(node.spec) ? node.spec : {};
    const status: Obj = isPlainObject(node.status) ? node.status : {};
    const alloc: Obj = isPlainObject(status.allocatable) ? status.allocatable : {};
    const allocCpu = quantity(alloc.cpu, true);
    const allocMemory = quantity(alloc.memory, false);
    const allocPods = quantity(alloc.pods, false);
    const unschedulable = spec.unschedulable === true;
    const taints = effectiveTaints(spec.taints, status.conditions);
    const labels = node.metadata.labels ?? {};
    const first = this.node === undefined;
    const better =
      first ||
      allocCpu > this.allocCpu ||
      allocMemory > this.allocMemory ||
      allocPods > this.allocPods ||
      (this.unschedulable && !unschedulable) ||
      !sameTaints(taints, this.taints) ||
      (labels !== this.labels && !sameLabels(labels, this.labels));
    this.node = node;
    this.allocCpu = allocCpu;
    this.allocMemory = allocMemory;
    this.allocPods = allocPods;
    this.unschedulable = unschedulable;
    this.taints = taints;
    this.labels = labels;
    return better;
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * The node's NoSchedule/NoExecute taints. A node that is not Ready gets the
 * taint the node lifecycle controller would add (not-ready, or unreachable when
 * the status is Unknown), so readiness is filtered, and tolerated, the kube way
 * even before that controller has acted.
 */
export function effectiveTaints(raw: unknown, conditions: unknown): Taint[] {
  const out: Taint[] = [];
  for (const t of Array.isArray(raw) ? raw : []) {
    if (!isPlainObject(t)) continue;
    const effect = str(t.effect);
    if (effect === 'NoSchedule' || effect === 'NoExecute') out.push({ key: str(t.key), value: str(t.value), effect });
  }
  const ready = (Array.isArray(conditions) ? conditions : []).find((c) => isPlainObject(c) && c.type === 'Ready') as Obj | undefined;
  if (ready?.status !== 'True') {
    const key = ready?.status === 'Unknown' ? TAINT_UNREACHABLE : TAINT_NOT_READY;
    if (!out.some((t) => t.key === key)) out.push({ key, value: '', effect: 'NoSchedule' });
  }
  return out;
}

function sameTaints(a: Taint[], b: Taint[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].key !== b[i].key || a[i].value !== b[i].value || a[i].effect !== b[i].effect) return false;
  return true;
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k]) return false;
  return true;
}
