// Taints against tolerations, with kube's matching rules: an empty toleration
// effect matches every effect, an empty key with `Exists` matches every taint.

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

/** Taints the node lifecycle controller puts on nodes that are not Ready. */
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

/** The first taint no toleration matches (kube reports only the first). */
export function firstUntolerated(taints: readonly Taint[], tolerations: readonly Toleration[]): Taint | undefined {
  outer: for (const taint of taints) {
    for (const t of tolerations) if (tolerates(t, taint)) continue outer;
    return taint;
  }
  return undefined;
}
