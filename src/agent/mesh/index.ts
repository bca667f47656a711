// The node agent's mesh part: DP streams for the meshed pods it runs.

export { MeshSessions, type AgentMeshOptions, type MeshSessionsOptions } from './mesh-sessions.js';
export type { PodSessionHooks } from './pod-session.js';
export { combineHooks, defaultIdentityRoot, podIdentityDir, podIdentityHooks } from './pod-identity.js';
export { DEFAULT_TOKEN_SECONDS, type PodToken, type PodTokenSource } from './pod-token-source.js';
export { InProcessTokenSource } from './in-process-token-source.js';
export { HttpTokenSource, type TokenRequestTransport } from './http-token-source.js';
export { RenewingToken, type Scheduler } from './renewing-token.js';
export { podInboundHealth } from './pod-inbound-health.js';
export { DpServerWatch, type DpServerTarget } from './dp-server-watch.js';
