// Bootstrap-token Secrets as kube defines them: `kube-system/bootstrap-token-<id>`
// of type bootstrap.kubernetes.io/token, whose base64 data holds token-id,
// token-secret, an optional RFC 3339 `expiration`, the usage-bootstrap-* flags
// and auth-extra-groups. Shared by the authenticator, `workplane token node`
// and the cleaner that deletes expired ones.

import type { KObject } from '../api/object.js';

export const BOOTSTRAP_TOKEN_TYPE = 'bootstrap.kubernetes.io/token';
export const BOOTSTRAP_TOKEN_NAMESPACE = 'kube-system';
export const bootstrapTokenSecretName = (id: string): string => `bootstrap-token-${id}`;

/** A data field of the Secret, decoded; undefined when absent. */
export function bootstrapTokenField(secret: KObject, field: string): string | undefined {
  const v = ((secret.data ?? {}) as Record<string, unknown>)[field];
  return typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : undefined;
}

/**
 * When the token stops being valid, in ms since the epoch: undefined when it never
 * expires, NaN when its expiration cannot be read (which counts as expired, as in kube).
 */
export function bootstrapTokenExpiry(secret: KObject): number | undefined {
  const expiration = bootstrapTokenField(secret, 'expiration');
  if (!expiration) return undefined;
  return Date.parse(expiration);
}

/** Whether the token has expired at `now`. */
export function bootstrapTokenExpired(secret: KObject, now: number): boolean {
  const at = bootstrapTokenExpiry(secret);
  return at !== undefined && !(at > now);
}
