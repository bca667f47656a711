// The node agent (a kubelet for Workplane): serves N nodes over one Client
// (in-process or HTTP) with one runtime. It registers the nodes, keeps their
// heartbeats, runs the pods bound to them and serves their logs. Stopping it
// stops heartbeats and syncing but leaves Nodes and pods as they are, as a
// stopped kubelet does; the caller closes the runtime.

import type { Readable } from 'node:stream';
import { canonicalQuantity } from '../api/quantity.js';
import { stderrLogger, type Logger } from '../client/logger.js';
import type { Client } from '../client/types.js';
import { newStats, type AgentNode, type AgentStats } from './agent-node.js';
import type { LogRequest, LogSource } from './log-source.js';
import { MeshSessions, type AgentMeshOptions } from './mesh/mesh-sessions.js';
import { NodeHeartbeat } from './node-heartbeat.js';
import { NodeLeases } from './node-leases.js';
import { defaultTaints, type NodeTemplate } from './node-object.js';
import { NodeRegistrar } from './node-registrar.js';
import { PodEvents } from './pod-events.js';
import { nodeIndex, PodIPs } from './pod-ips.js';
import { podLogs } from './pod-logs.js';
import { PodSync } from './pod-sync.js';
import type { Runtime } from './runtime/types.js';

export interface NodeAgentOptions {
  runtime: Runtime;
  /** How many nodes (default 1), named `<namePrefix>-<i>`; or give `nodeNames`. */
  nodes?: number;
  namePrefix?: string;
  nodeNames?: string[];
  cpu?: string;
  memory?: string;
  pods?: string | number;
  labels?: Record<string, string>;
  /** Taints a node registers with; default none, or `workplane.dev/runtime=process:NoSchedule` on the process runtime. */
  taints?: Record<string, unknown>[];
  /** daemonEndpoints.kubeletEndpoint.Port (the log endpoint; 0 when there is none). */
  kubeletPort?: number;
  /** Process runtime: the host's address, for the node and its pods (default 127.0.0.1). */
  nodeIP?: string;
  /**
   * The Lease holder identity for a node (default its name). With `refuseTakeover`, start() fails
   * for a node whose fresh Lease another identity holds: another agent serves it.
   */
  holderIdentity?: (node: string) => string;
  refuseTakeover?: boolean;
  /** Lease renewal period (default 10 s). */
  leaseRenewSeconds?: number;
  leaseDurationSeconds?: number;
  /** Period of the Node status heartbeat (default 60 s); changes are written at once regardless. */
  nodeStatusReportSeconds?: number;
  /** Concurrent pod reconciles (default 8). */
  workers?: number;
  /** Node writes in flight during registration and heartbeats (default 16). */
  writeConcurrency?: number;
  /** Record kubelet Events (Started, BackOff, Killing...; default true). */
  recordEvents?: boolean;
  configRetryMs?: number;
  /** Hold a DP stream for every meshed pod the agent runs (ServiceAccount tokens from `tokens`). */
  mesh?: AgentMeshOptions;
  log?: Logger;
  onNodeRegistered?: (name: string, created: boolean) => void;
}

export class NodeAgent implements LogSource {
  readonly stats: AgentStats = newStats();
  readonly nodes = new Map<string, AgentNode>();
  private readonly template: NodeTemplate;
  private readonly log: Logger;
  private readonly podSync: PodSync;
  private readonly events?: PodEvents;
  /** DP streams of the meshed pods (when `mesh` was given). */
  readonly mesh?: MeshSessions;
  private abort?: AbortController;
  private running: Promise<unknown>[] = [];

  constructor(
    private readonly client: Client,
    private readonly opts: NodeAgentOptions,
  ) {
    this.log = opts.log ?? stderrLogger;
    const runtime = opts.runtime.name;
    const names = opts.nodeNames ?? Array.from({ length: opts.nodes ?? 1 }, (_, i) => `${opts.namePrefix ?? 'node'}-${i}`);
    this.template = {
      runtime,
      cpu: canonicalQuantity(opts.cpu ?? '4'),
      memory: canonicalQuantity(opts.memory ?? '8Gi'),
      pods: canonicalQuantity(String(opts.pods ?? 110)),
      labels: opts.labels ?? {},
      taints: opts.taints ?? defaultTaints(runtime),
      kubeletPort: opts.kubeletPort ?? 0,
    };
    const allocatable = { cpu: this.template.cpu, memory: this.template.memory, pods: this.template.pods };
    for (const name of names) this.nodes.set(name, { name, ips: PodIPs.forNode(nodeIndex(name), runtime === 'simulated', opts.nodeIP), allocatable });
    if (opts.recordEvents ?? true) this.events = new PodEvents(client, this.log);
    this.podSync = new PodSync({
      client,
      runtime: opts.runtime,
      nodes: this.nodes,
      stats: this.stats,
      log: this.log,
      events: this.events,
      workers: opts.workers,
      configRetryMs: opts.configRetryMs,
    });
    if (opts.mesh) this.mesh = new MeshSessions({ ...opts.mesh, client, pods: this.podSync.informer, nodes: this.nodes, log: this.log });
  }

  get nodeNames(): string[] {
    return [...this.nodes.keys()];
  }

  /** Registers the nodes, then starts heartbeats and pod sync; resolves once pods are listed. */
  async start(): Promise<void> {
    if (this.abort) throw new Error('node agent already started');
    const abort = (this.abort = new AbortController());
    const concurrency = this.opts.writeConcurrency ?? 16;
    const leases = new NodeLeases(this.client, this.stats, this.opts.leaseDurationSeconds ?? 40, this.opts.holderIdentity);
    const registrar = new NodeRegistrar(this.client, this.template, this.stats);
    await leases.ensureNamespace().catch((err) => this.log.warn({ err }, 'agent: cannot ensure namespace kube-node-lease'));
    if (this.opts.refuseTakeover) for (const name of this.nodes.keys()) await leases.checkNotServedElsewhere(name);
    await registrar.registerAll([...this.nodes.values()], concurrency, (node, created) => this.opts.onNodeRegistered?.(node.name, created));
    await this.firstLeases(leases, concurrency);
    const heartbeat = new NodeHeartbeat({
      registrar,
      leases,
      nodes: this.nodes,
      leaseRenewMs: (this.opts.leaseRenewSeconds ?? 10) * 1000,
      statusReportMs: (this.opts.nodeStatusReportSeconds ?? 60) * 1000,
      concurrency,
      log: this.log,
    });
    this.running = [heartbeat.run(abort.signal), this.podSync.run(abort.signal)];
    if (this.mesh) this.running.push(this.mesh.run(abort.signal));
    await this.podSync.informer.waitForSync(abort.signal);
  }

  /** Stops heartbeats and pod sync (pods keep running in the runtime until it is closed). */
  async stop(): Promise<void> {
    this.abort?.abort();
    await Promise.allSettled(this.running);
    await this.events?.flush();
  }

  /** Whether the pod is bound to one of this agent's nodes. */
  servesPod(namespace: string, podName: string): boolean {
    return this.podSync.podOnNode(namespace, podName) !== undefined;
  }

  logs(namespace: string, podName: string, opts: LogRequest): Promise<Readable> {
    try {
      return Promise.resolve(podLogs(this.podSync.podOnNode(namespace, podName), podName, this.opts.runtime, opts));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  private async firstLeases(leases: NodeLeases, concurrency: number): Promise<void> {
    const nodes = [...this.nodes.values()];
    let next = 0;
    const worker = async () => {
      while (next < nodes.length) {
        const node = nodes[next++];
        await leases.renew(node).catch((err) => this.log.warn({ node: node.name, err }, 'agent: first lease write failed'));
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }
}
