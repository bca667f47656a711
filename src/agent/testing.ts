// Test support for the agent: a real registry with the core kinds, a
// simulated runtime with short timings, and small pod builders.

import { coreDefinitions } from '../api/core/index.js';
import type { KObject } from '../api/object.js';
import { silentLogger } from '../client/logger.js';
import { startTestApi, type TestApi } from '../client/testing.js';
import type { ResourceClient } from '../client/types.js';
import { NodeAgent, type NodeAgentOptions } from './node-agent.js';
import { SimulatedRuntime, type SimulatedRuntimeOptions } from './runtime/simulated-runtime.js';
import type { PodLaunch } from './runtime/types.js';

export const PODS = { group: '', version: 'v1', resource: 'pods' };
export const NODES = { group: '', version: 'v1', resource: 'nodes' };
export const LEASES = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
export const SECRETS = { group: '', version: 'v1', resource: 'secrets' };

/** A simulated runtime that also remembers what it was asked to launch. */
export class RecordingRuntime extends SimulatedRuntime {
  readonly launches: PodLaunch[] = [];
  override sync(launch: PodLaunch): void {
    this.launches.push(launch);
    super.sync(launch);
  }
}

export interface AgentHarness {
  api: TestApi;
  runtime: RecordingRuntime;
  agent: NodeAgent;
  pods: ResourceClient;
  /** Starts another agent over the same API (restart tests); the caller stops it. */
  newAgent(opts?: Partial<NodeAgentOptions>): NodeAgent;
  close(): Promise<void>;
}

export async function startAgentHarness(opts: Partial<NodeAgentOptions> = {}, simulation: SimulatedRuntimeOptions = {}): Promise<AgentHarness> {
  const api = await startTestApi(coreDefinitions);
  const runtime = new RecordingRuntime({ startJitterMs: 5, backoffBaseMs: 30, backoffMaxMs: 200, ...simulation });
  const newAgent = (o: Partial<NodeAgentOptions> = {}) => new NodeAgent(api.client, { runtime, log: silentLogger, configRetryMs: 50, ...opts, ...o });
  const agent = newAgent();
  await agent.start();
  return {
    api,
    runtime,
    agent,
    pods: api.client.resource(PODS),
    newAgent,
    async close() {
      await agent.stop();
      await runtime.close();
      await api.close();
    },
  };
}

export function pod(name: string, spec: Record<string, unknown> = {}, metadata: Partial<KObject['metadata']> = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...metadata },
    spec: { nodeName: 'node-0', containers: [{ name: 'app', image: 'nginx:1.27' }], ...spec },
  };
}

type Obj = Record<string, unknown>;
export const statusOf = (p: KObject | undefined): Obj => (p?.status ?? {}) as Obj;
export const containerStatuses = (p: KObject | undefined): Obj[] => (statusOf(p).containerStatuses ?? []) as Obj[];
export const condition = (o: KObject | undefined, type: string): Obj | undefined => ((statusOf(o).conditions ?? []) as Obj[]).find((c) => c.type === type);
