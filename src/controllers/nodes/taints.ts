// Taints and tolerations as the node controllers read them: the well-known
// node taints, kube's toleration matching rule, and how long a pod may stay
// on a node under its NoExecute taints.

import { isPlainObject, type KObject } from '../../api/object.js';

export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number | null;
}

export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const NO_SCHEDULE = 'NoSchedule';
export const NO_EXECUTE = 'NoExecute';

const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);
const spec = (o: KObject) => (isPlainObject(o.spec) ? o.spec : {});

export function nodeTaints(node: KObject): Taint[] {
  return list(spec(node).taints) as unknown as Taint[];
}

export function podTolerations(pod: KObject): Toleration[] {
  return list(spec(pod).tolerations) as unknown as Toleration[];
}

export const noExecuteTaints = (node: KObject): Taint[] => nodeTaints(node).filter((t) => t.effect === NO_EXECUTE);

/** kube's ToleratesTaint: an empty effect or key matches any; `Exists` ignores the value. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  const op = t.operator || 'Equal';
  if (op === 'Exists') return true;
  return op === 'Equal' && (t.value ?? '') === (taint.value ?? '');
}

export const sameTaint = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;

/**
 * When a pod must leave a node with these NoExecute taints: `now` when some
 * taint is not tolerated, `Infinity` when every matching toleration is
 * unbounded. Like kube's taint manager, the shortest tolerationSeconds among
 * the matching tolerations wins, counted from the time its taint was added.
 */
export function evictionDeadline(taints: Taint[], tolerations: Toleration[], addedAt: (t: Taint) => number, now: number): number {
  let deadline = Infinity;
  for (const taint of taints) {
    const matching = tolerations.filter((t) => tolerates(t, taint));
    if (matching.length === 0) return now;
    for (const t of matching) {
      if (typeof t.tolerationSeconds !== 'number') continue;
      deadline = Math.min(deadline, addedAt(taint) + Math.max(0, t.tolerationSeconds) * 1000);
    }
  }
  return deadline;
}

/**
 * The node's taints with the `managed` keys brought to `desired`: taints
 * already present keep their timeAdded, others are appended, managed taints
 * not desired are dropped. Undefined when nothing changes.
 */
export function reconcileTaints(current: Taint[], managed: string[], desired: Taint[]): Taint[] | undefined {
  const keep = current.filter((t) => !managed.includes(t.key) || desired.some((d) => sameTaint(d, t)));
  const add = desired.filter((d) => !keep.some((t) => sameTaint(d, t)));
  if (keep.length === current.length && add.length === 0) return undefined;
  return [...keep, ...add];
}
