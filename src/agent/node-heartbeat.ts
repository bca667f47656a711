// Keeps the agent's nodes alive in the API: Lease renewals every
// leaseRenewSeconds and a Ready heartbeat in the Node's status less often,
// both staggered across the period; and, through a Node informer, an
// immediate status write when someone (the node lifecycle controller) marks a
// served node not Ready. A deleted Node stops its heartbeats, as kubelet
// re-registers only when restarted.

import type { KObject } from '../api/object.js';
import { Informer } from '../client/informer.js';
import type { Logger } from '../client/logger.js';
import type { AgentNode } from './agent-node.js';
import { isNodeReady } from './node-object.js';
import type { NodeLeases } from './node-leases.js';
import type { NodeRegistrar } from './node-registrar.js';
import { StaggeredTicker } from './staggered-ticker.js';

export interface NodeHeartbeatOptions {
  registrar: NodeRegistrar;
  leases: NodeLeases;
  nodes: Map<string, AgentNode>;
  leaseRenewMs: number;
  statusReportMs: number;
  concurrency: number;
  log: Logger;
}

export class NodeHeartbeat {
  readonly informer: Informer;
  private readonly tickers: StaggeredTicker[];
  private readonly recovering = new Set<string>();

  constructor(private readonly o: NodeHeartbeatOptions) {
    const names = [...o.nodes.keys()];
    const fieldSelector = names.length === 1 ? `metadata.name=${names[0]}` : undefined;
    this.informer = new Informer(o.registrar.nodes, { fieldSelector, pageSize: 500, log: o.log });
    this.informer.addHandler({
      onAdd: (n) => this.observe(n, true),
      onUpdate: (_old, n) => this.observe(n, false),
      onDelete: (n) => this.deleted(n),
    });
    const alive = (name: string) => {
      const node = o.nodes.get(name);
      return node && !node.gone ? node : undefined;
    };
    const common = { names: () => names, concurrency: o.concurrency, log: o.log };
    this.tickers = [
      new StaggeredTicker({
        ...common,
        periodMs: o.leaseRenewMs,
        what: 'lease renewal',
        beat: async (name) => {
          const node = alive(name);
          if (node) await o.leases.renew(node);
        },
      }),
      new StaggeredTicker({
        ...common,
        periodMs: o.statusReportMs,
        what: 'node status heartbeat',
        beat: async (name) => {
          const node = alive(name);
          if (node) await o.registrar.heartbeat(node, this.informer.get(undefined, name));
        },
      }),
    ];
  }

  /** Runs until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    for (const t of this.tickers) t.start();
    await this.informer.start(signal);
    await Promise.all(this.tickers.map((t) => t.stop()));
  }

  private observe(obj: KObject, added: boolean): void {
    const node = this.o.nodes.get(obj.metadata.name ?? '');
    if (!node) return;
    if (added && node.gone) {
      // Created again by someone: serve it again.
      node.gone = false;
      node.uid = obj.metadata.uid;
      this.o.leases.forget(node.name);
    }
    if (!node.gone && !isNodeReady(obj)) void this.recover(node, obj);
  }

  private async recover(node: AgentNode, obj: KObject): Promise<void> {
    if (this.recovering.has(node.name)) return;
    this.recovering.add(node.name);
    try {
      await this.o.registrar.writeStatus(node, (obj.status as { conditions?: unknown } | undefined)?.conditions);
      this.o.log.info({ node: node.name }, 'agent: node marked Ready again');
    } catch (err) {
      this.o.log.warn({ node: node.name, err }, 'agent: could not mark node Ready');
    } finally {
      this.recovering.delete(node.name);
    }
  }

  private deleted(obj: KObject): void {
    const node = this.o.nodes.get(obj.metadata.name ?? '');
    if (!node || node.gone) return;
    node.gone = true;
    this.o.leases.forget(node.name);
    this.o.log.warn({ node: node.name }, 'agent: Node object deleted; heartbeats stop until the agent restarts');
  }
}
