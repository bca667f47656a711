// The identity messages on a DP stream. `identity` and `csr` are in the DP
// protocol already; `certificateRequest` (the control plane asking for a
// request for a given key type) is the one this feature still needs from it.
// Until the protocol carries it, sending it is harmless: the codec drops a
// variant it does not know, and the proxy falls back to its default key type.

import type { ControlPlaneMessage } from '../dp/protocol/messages.js';

export interface CertificateRequestMessage {
  /** The key type to generate, e.g. `ecdsa-p256`, `rsa-2048`. */
  keyType: string;
  /** Why a new request is wanted (shown in the proxy's log). */
  reason: string;
}

export type IdentityControlMessage = ControlPlaneMessage | { certificateRequest: CertificateRequestMessage };
