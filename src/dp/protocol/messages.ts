// The messages of a DP stream, as the TypeScript on both ends sees them. One
// bidirectional stream carries everything between a proxy and the control
// plane, so new exchanges (identity issuance, more later) are new message
// variants, never new connections.

import type { KObject } from '../../api/object.js';

/** Readiness of one inbound as the proxy last probed it, keyed by the inbound's port. */
export interface InboundHealth {
  port: number;
  ready: boolean;
}

/** First message of every stream: which Dataplane this proxy is. */
export interface Hello {
  namespace: string;
  name: string;
  /**
   * The Dataplane to register (Universal flow): the control plane creates or
   * updates it under the token's authority. Absent: the Dataplane must exist
   * (pods, whose Dataplanes the control plane generates).
   */
  dataplane?: KObject;
  agentVersion?: string;
}

export interface HealthReport {
  inbounds: InboundHealth[];
}

/** Clean shutdown; the control plane deletes a Dataplane this stream registered when asked. */
export interface Goodbye {
  deleteDataplane: boolean;
}

/** Identity issuance: a PEM CSR signed with the proxy's own key (the control plane decides the names). */
export interface CertificateSigningRequest {
  csrPem: string;
}

export type ProxyMessage = { hello: Hello } | { health: HealthReport } | { goodbye: Goodbye } | { csr: CertificateSigningRequest };

/** Answer to hello: the stream is authenticated and recorded. */
export interface Ack {
  subscriptionId: string;
  controlPlaneInstanceId: string;
}

/** Identity issuance: the signed certificate and the trust bundle. */
export interface IdentityMessage {
  certPem: string;
  bundlePem: string;
  spiffeId: string;
  /** RFC 3339. */
  expirationTime: string;
}

/** A problem that does not end the stream (fatal ones end it with a gRPC status). */
export interface ErrorMessage {
  message: string;
}

/**
 * The control plane asks for a (new) CSR: it announces the key type its CA
 * signs for, or wants a fresh key. The proxy answers with a `csr` message.
 */
export interface CertificateRequest {
  /** Key type to generate, e.g. `ecdsa-p256`, `rsa-2048`. */
  keyType: string;
  /** Why a new request is wanted (for the proxy's log). */
  reason: string;
}

export type ControlPlaneMessage = { ack: Ack } | { identity: IdentityMessage } | { error: ErrorMessage } | { certificateRequest: CertificateRequest };
