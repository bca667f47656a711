// Registers the agent's nodes: one list of the existing Nodes, then for each
// node either a create (labels, taints) or, when it exists from an earlier run,
// only a label top-up, so what users set since (cordon's spec.unschedulable,
// taints, extra labels) stays. Either way the status is then written whole:
// Ready=True again even if a lifecycle controller had marked the node Unknown.

import { isAlreadyExists } from '../api/errors.js';
import { nowIso, type KObject } from '../api/object.js';
import type { Client, ResourceClient } from '../client/types.js';
import type { AgentNode, AgentStats } from './agent-node.js';
import { nodeConditions, nodeLabels, nodeStatus, type NodeTemplate } from './node-object.js';

export const NODES = { group: '', version: 'v1', resource: 'nodes' };

const conditionsOf = (node: KObject | undefined) => (node?.status as { conditions?: unknown } | undefined)?.conditions;

export class NodeRegistrar {
  readonly nodes: ResourceClient;

  constructor(
    client: Client,
    private readonly template: NodeTemplate,
    private readonly stats: AgentStats,
  ) {
    this.nodes = client.resource(NODES);
  }

  /** Registers every node, `concurrency` at a time; `done` hears of each (created: a new Node object). */
  async registerAll(nodes: AgentNode[], concurrency: number, done: (node: AgentNode, created: boolean) => void): Promise<void> {
    const existing = new Map<string, KObject>();
    let cont: string | undefined;
    do {
      const page = await this.nodes.list(undefined, { limit: 500, continue: cont });
      for (const n of page.items) existing.set(n.metadata.name ?? '', n);
      cont = page.continue;
    } while (cont);
    let next = 0;
    const worker = async () => {
      while (next < nodes.length) {
        const node = nodes[next++];
        done(node, await this.register(node, existing.get(node.name)));
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  }

  private async register(node: AgentNode, existing: KObject | undefined): Promise<boolean> {
    const labels = nodeLabels(node.name, this.template);
    let obj = existing;
    let created = false;
    if (!obj) {
      const spec = this.template.taints.length ? { taints: this.template.taints } : {};
      try {
        obj = await this.nodes.create(undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: node.name, labels }, spec });
        created = true;
        this.stats.nodeWrites++;
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
        obj = await this.nodes.get(undefined, node.name);
      }
    }
    if (obj && !created) {
      const have = obj.metadata.labels ?? {};
      const missing = Object.fromEntries(Object.entries(labels).filter(([k, v]) => have[k] !== v));
      if (Object.keys(missing).length) {
        obj = await this.nodes.patch(undefined, node.name, 'merge', { metadata: { labels: missing } });
        this.stats.nodeWrites++;
      }
    }
    node.uid = obj?.metadata.uid;
    await this.writeStatus(node, conditionsOf(obj));
    return created;
  }

  /** The whole status (registration, recovery from Ready=Unknown). */
  async writeStatus(node: AgentNode, previousConditions: unknown): Promise<void> {
    const status = nodeStatus({ name: node.name, internalIP: node.ips.nodeIP }, this.template, previousConditions, nowIso());
    await this.nodes.patch(undefined, node.name, 'merge', { status }, { subresource: 'status' });
    this.stats.nodeWrites++;
  }

  /** The periodic heartbeat: only the conditions, with a fresh lastHeartbeatTime. */
  async heartbeat(node: AgentNode, current: KObject | undefined): Promise<void> {
    const conditions = nodeConditions(conditionsOf(current), nowIso());
    await this.nodes.patch(undefined, node.name, 'merge', { status: { conditions } }, { subresource: 'status' });
    this.stats.nodeWrites++;
  }
}
