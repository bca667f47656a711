// Data plane proxy connections: the DP server the control plane runs, the
// proxy-side session and runner, dataplane tokens, and the protocol between.

export type { Ack, CertificateRequest, CertificateSigningRequest, ControlPlaneMessage, ErrorMessage, Goodbye, HealthReport, Hello, IdentityMessage, InboundHealth, ProxyMessage } from './protocol/messages.js';
export { DEFAULT_KEEPALIVE, dpAddress, dpTarget, type KeepaliveOptions } from './protocol/service.js';
export { startDpServer, type DpServer, type DpServerOptions } from './server/dp-server.js';
export { createDpAuthenticator, type DpAuthenticator, type DpAuthenticatorOptions, type DpCredential } from './server/authenticator.js';
export { authorizeDataplane, type PodLookup } from './server/authorize-dataplane.js';
export type { DpSession, DpStreamHandler } from './server/stream-handler.js';
export { InsightStore, type InsightStatus, type StatusMutation } from './server/insight-store.js';
export { MAX_SUBSCRIPTIONS, SubscriptionRecorder } from './server/subscriptions.js';
export { DpError } from './server/dp-error.js';
export { publishDpServerAddress, readDpServerAddress, DP_SERVER_CONFIGMAP, type PublishedDpServer } from './server/published-address.js';
export { openDpSession, DpSessionError, type DataplaneRef, type DpSessionHandle, type DpSessionOptions } from './agent/dp-session.js';
export { runDataplane, type DataplaneRunnerOptions } from './agent/dataplane-runner.js';
export { probeInbounds, probeTargets, type ProbeTarget } from './agent/inbound-probe.js';
export {
  DATAPLANE_TOKEN_AUDIENCE,
  issueDataplaneToken,
  verifyDataplaneToken,
  type DataplaneTokenClaims,
  type IssuedDataplaneToken,
} from './tokens/dataplane-token.js';
export { dataplaneTokenDefinition, registerDataplaneTokenHandler } from './tokens/dataplane-token-kind.js';
