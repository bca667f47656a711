// Where a meshed pod's proxy gets its credential: a ServiceAccount token for
// the pod's account, bound to the pod (as a kubelet-projected token is), which
// the DP server accepts for the Dataplane the control plane generated for
// that pod. Two sources: straight from the control plane's TokenIssuer when
// the agent runs inside it, or a TokenRequest over HTTP for a remote agent.

import type { KObject } from '../../api/object.js';
import type { BoundObjectRef } from '../../security/token-issuer.js';

export interface PodToken {
  token: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export interface PodTokenSource {
  /** A fresh token for `pod`'s ServiceAccount, bound to the pod. */
  token(pod: KObject): Promise<PodToken>;
}

/** Lifetime asked for (TokenRequest's minimum is 10 minutes; kubelet asks for about an hour). */
export const DEFAULT_TOKEN_SECONDS = 3600;

export const SERVICE_ACCOUNTS = { group: '', version: 'v1', resource: 'serviceaccounts' };

export function podBinding(pod: KObject): BoundObjectRef {
  const { name, uid } = pod.metadata;
  if (!name || !uid) throw new Error('pod token: the pod has no name or uid yet');
  return { kind: 'Pod', name, uid };
}

/** RFC 3339 from TokenRequest status.expirationTimestamp, as epoch milliseconds. */
export function expiryOf(timestamp: unknown): number {
  const t = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(t)) throw new Error(`pod token: bad expirationTimestamp ${JSON.stringify(timestamp)}`);
  return t;
}
