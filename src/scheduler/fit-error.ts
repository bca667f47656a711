// Why a pod fits nowhere, in kube-scheduler's words:
//   0/5 nodes are available: 2 Insufficient cpu, 3 node(s) didn't match Pod's node affinity/selector.
// Each reason is counted over the nodes that gave it; the "<count> <reason>"
// strings are sorted as strings, exactly as kube sorts them.

export const NO_NODES_MESSAGE = 'no nodes available to schedule pods';

export class Diagnosis {
  readonly counts = new Map<string, number>();

  constructor(readonly totalNodes: number) {}

  add(reasons: readonly string[]): void {
    for (const r of reasons) this.counts.set(r, (this.counts.get(r) ?? 0) + 1);
  }

  message(): string {
    if (this.totalNodes === 0) return NO_NODES_MESSAGE;
    const parts = [...this.counts].map(([reason, n]) => `${n} ${reason}`).sort();
    const base = `0/${this.totalNodes} nodes are available:`;
    return parts.length ? `${base} ${parts.join(', ')}.` : base;
  }
}
