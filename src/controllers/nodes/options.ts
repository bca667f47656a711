// Timing of node health handling, with kube's defaults. Tests shorten them
// instead of faking clocks.

export interface NodeLifecycleOptions {
  /** Seconds without a heartbeat before a node is marked Unknown and unreachable (kube's node-monitor-grace-period). */
  gracePeriodSeconds: number;
  /** tolerationSeconds the DefaultTolerationSeconds admission gives pods for not-ready/unreachable nodes. */
  evictionSeconds: number;
  /** Namespace of the node heartbeat Leases (one per node, named after it). */
  leaseNamespace: string;
  /** Concurrent reconciles of the taint eviction controller. */
  evictionWorkers: number;
}

export const DEFAULT_NODE_LIFECYCLE_OPTIONS: Readonly<NodeLifecycleOptions> = {
  gracePeriodSeconds: 40,
  evictionSeconds: 300,
  leaseNamespace: 'kube-node-lease',
  evictionWorkers: 2,
};

export function nodeLifecycleOptions(partial: Partial<NodeLifecycleOptions> = {}): NodeLifecycleOptions {
  const out = { ...DEFAULT_NODE_LIFECYCLE_OPTIONS };
  for (const [k, v] of Object.entries(partial)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
