// `workplane serve --agent-nodes N`: simulated nodes inside the control plane
// process, over the in-process client, with their logs registered for the API
// server's pods/log handler.

import type { Client } from '../client/types.js';
import type { TokenIssuer } from '../security/token-issuer.js';
import { registerLocalLogSource, unregisterLocalLogSource } from './local-log-sources.js';
import { InProcessTokenSource } from './mesh/in-process-token-source.js';
import { NodeAgent, type NodeAgentOptions } from './node-agent.js';
import { SimulatedRuntime, type SimulatedRuntimeOptions } from './runtime/simulated-runtime.js';

export interface InProcessAgentOptions extends Omit<NodeAgentOptions, 'runtime' | 'mesh'> {
  nodes: number;
  runtime?: 'simulated';
  simulation?: SimulatedRuntimeOptions;
  /** Hold DP streams for meshed pods, with tokens signed by the control plane's issuer. */
  mesh?: { issuer: TokenIssuer; systemNamespace?: string };
}

export interface InProcessAgent {
  agent: NodeAgent;
  stop(): Promise<void>;
}

export async function startInProcessAgent(client: Client, opts: InProcessAgentOptions): Promise<InProcessAgent> {
  const runtime = new SimulatedRuntime(opts.simulation);
  const { simulation: _s, runtime: _r, mesh, ...rest } = opts;
  const meshOpts = mesh && { tokens: new InProcessTokenSource(client, mesh.issuer), systemNamespace: mesh.systemNamespace };
  const agent = new NodeAgent(client, { ...rest, runtime, mesh: meshOpts });
  for (const name of agent.nodeNames) registerLocalLogSource(name, agent);
  try {
    await agent.start();
  } catch (e) {
    for (const name of agent.nodeNames) unregisterLocalLogSource(name, agent);
    await agent.stop();
    await runtime.close();
    throw e;
  }
  return {
    agent,
    async stop() {
      for (const name of agent.nodeNames) unregisterLocalLogSource(name, agent);
      await agent.stop();
      await runtime.close();
    },
  };
}
