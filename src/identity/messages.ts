// The identity messages on a DP stream: `csr` (proxy → control plane),
// `identity` and `certificateRequest` (the control plane asking for a request
// for the CA's key type) the other way.

import type { ControlPlaneMessage } from '../dp/protocol/messages.js';

export interface CertificateRequestMessage {
  /** The key type to generate, e.g. `ecdsa-p256`, `rsa-2048`. */
  keyType: string;
  /** Why a new request is wanted (shown in the proxy's log). */
  reason: string;
}

export type IdentityControlMessage = ControlPlaneMessage | { certificateRequest: CertificateRequestMessage };
