// The nodes one agent serves and the counters it keeps: shared by node
// registration, heartbeats and pod sync, which each look nodes up by name.

import type { PodIPs } from './pod-ips.js';

export interface AgentNode {
  name: string;
  /** The Node object's uid once registered (the heartbeat Lease's owner). */
  uid?: string;
  /** The node's address and its pods' addresses. */
  ips: PodIPs;
  /** cpu/memory/pods as reported in status.allocatable. */
  allocatable: Record<string, string>;
  /** The Node object was deleted while the agent ran: heartbeats stop (kubelet re-registers only on restart). */
  gone?: boolean;
}

/** Writes the agent made, by kind, since it started (for measuring the load it puts on the API). */
export interface AgentStats {
  nodeWrites: number;
  leaseWrites: number;
  podStatusWrites: number;
  podDeletes: number;
  conflicts: number;
}

export const newStats = (): AgentStats => ({ nodeWrites: 0, leaseWrites: 0, podStatusWrites: 0, podDeletes: 0, conflicts: 0 });
