// The node agent: registers nodes, heartbeats, runs the pods bound to them
// (simulated or process runtime) and serves their logs.

export { NodeAgent, type NodeAgentOptions } from './node-agent.js';
export { startInProcessAgent, type InProcessAgent, type InProcessAgentOptions } from './in-process.js';
export type { AgentStats } from './agent-node.js';
export type { LogRequest, LogSource } from './log-source.js';
export { localLogSource, registerLocalLogSource, unregisterLocalLogSource } from './local-log-sources.js';
export { KUBELET_VERSION } from './node-object.js';
export { NODE_LEASE_NAMESPACE } from './node-leases.js';
export { SimulatedRuntime, createSimulatedRuntime, type SimulatedRuntimeOptions } from './runtime/simulated-runtime.js';
export { SIMULATE_EXIT_CODE, SIMULATE_RUN_SECONDS } from './runtime/simulation-plan.js';
export type * from './runtime/types.js';
