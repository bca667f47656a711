// Node heartbeats as kubelet sends them: one Lease per node in
// `kube-node-lease`, held by the node, owned by the Node (so it goes when the
// node goes), its renewTime moved forward on every renewal. The last lease
// written is cached, so a renewal is one update and no read. The holder
// identity names the serving agent, so a second agent can see that a node is
// already served (a fresh lease held by someone else) and refuse to run it
// twice.

import { ApiError, isAlreadyExists, isConflict, isNotFound } from '../api/errors.js';
import { nowMicroIso, type KObject } from '../api/object.js';
import type { Client, ResourceClient } from '../client/types.js';
import type { AgentNode, AgentStats } from './agent-node.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const LEASES = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces' };

export class NodeLeases {
  private readonly leases: ResourceClient;
  private readonly cache = new Map<string, KObject>();

  constructor(
    private readonly client: Client,
    private readonly stats: AgentStats,
    private readonly durationSeconds: number,
    /** The holder identity written for a node (default: the node's name, as kubelet writes). */
    private readonly holderOf: (node: string) => string = (node) => node,
    private readonly clock: () => number = Date.now,
  ) {
    this.leases = client.resource(LEASES);
  }

  /**
   * Throws when another agent serves `node`: its Lease is held by another identity and was
   * renewed within its duration. An expired lease, or one without a holder, may be taken over.
   */
  async checkNotServedElsewhere(node: string): Promise<void> {
    const lease = await this.leases.get(NODE_LEASE_NAMESPACE, node);
    const spec = (lease?.spec ?? {}) as { holderIdentity?: string; renewTime?: string; leaseDurationSeconds?: number };
    const holder = spec.holderIdentity;
    if (!lease || !holder || holder === this.holderOf(node) || !spec.renewTime) return;
    const ageMs = this.clock() - Date.parse(spec.renewTime);
    const durationMs = (spec.leaseDurationSeconds ?? this.durationSeconds) * 1000;
    if (!(ageMs < durationMs)) return;
    const left = Math.ceil((durationMs - ageMs) / 1000);
    throw new ApiError(
      409,
      'Conflict',
      `node ${JSON.stringify(node)} is served by another agent: Lease ${NODE_LEASE_NAMESPACE}/${node} is held by ${JSON.stringify(holder)} and was renewed ${Math.max(0, Math.round(ageMs / 1000))}s ago; stop that agent, or start this one again after the lease expires (in ${left}s)`,
    );
  }

  /** `kube-node-lease` exists in `workplane serve`; other servers may need it made. */
  async ensureNamespace(): Promise<void> {
    const namespaces = this.client.resource(NAMESPACES);
    if (await namespaces.get(undefined, NODE_LEASE_NAMESPACE)) return;
    try {
      await namespaces.create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NODE_LEASE_NAMESPACE } });
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
  }

  async renew(node: AgentNode): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.write(node);
        this.stats.leaseWrites++;
        return;
      } catch (e) {
        // Someone else wrote or deleted it: start from the server's copy, once.
        this.cache.delete(node.name);
        if (attempt > 0 || !(isConflict(e) || isNotFound(e) || isAlreadyExists(e))) throw e;
      }
    }
  }

  forget(name: string): void {
    this.cache.delete(name);
  }

  private async write(node: AgentNode): Promise<void> {
    const spec = { holderIdentity: this.holderOf(node.name), leaseDurationSeconds: this.durationSeconds, renewTime: nowMicroIso() };
    let lease = this.cache.get(node.name) ?? (await this.leases.get(NODE_LEASE_NAMESPACE, node.name));
    if (lease) {
      lease = await this.leases.update(NODE_LEASE_NAMESPACE, { ...lease, spec: { ...(lease.spec as object), ...spec } });
    } else {
      const metadata: KObject['metadata'] = { name: node.name, namespace: NODE_LEASE_NAMESPACE };
      if (node.uid) metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: node.name, uid: node.uid }];
      lease = await this.leases.create(NODE_LEASE_NAMESPACE, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata, spec });
    }
    this.cache.set(node.name, lease);
  }
}
