// Dataplane tokens: JWTs the control plane signs (with the ServiceAccount key)
// that let a proxy outside any pod register and hold a DP stream for Dataplanes
// of one mesh and workload. The audience keeps them from passing as API
// credentials and ServiceAccount tokens from passing as these.

import { randomUUID } from 'node:crypto';
import type { JwtSigner } from '../../security/index.js';

export const DATAPLANE_TOKEN_AUDIENCE = 'workplane-dataplane';
export const DEFAULT_TOKEN_VALIDITY_SECONDS = 24 * 3600;
/** The longest validity the control plane grants unless configured otherwise: Kuma's default token validity, 10 years (87600h). */
export const DEFAULT_MAX_TOKEN_VALIDITY_SECONDS = 87_600 * 3600;

export interface DataplaneTokenClaims {
  mesh: string;
  workload: string;
  /** Absent: Dataplanes in any namespace. */
  namespace?: string;
}

export interface IssuedDataplaneToken {
  token: string;
  /** RFC 3339, whole seconds. */
  expirationTimestamp: string;
}

export async function issueDataplaneToken(signer: JwtSigner, claims: DataplaneTokenClaims, validForSeconds = DEFAULT_TOKEN_VALIDITY_SECONDS): Promise<IssuedDataplaneToken> {
  const body: Record<string, string> = { mesh: claims.mesh, workload: claims.workload, jti: randomUUID() };
  if (claims.namespace) body.namespace = claims.namespace;
  const { token, exp } = await signer.sign(body, { audience: DATAPLANE_TOKEN_AUDIENCE, expiresIn: validForSeconds });
  return { token, expirationTimestamp: new Date(exp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') };
}

/** The claims of a valid, unexpired dataplane token, else null. */
export async function verifyDataplaneToken(signer: JwtSigner, token: string): Promise<DataplaneTokenClaims | null> {
  const c = await signer.verifyClaims(token, DATAPLANE_TOKEN_AUDIENCE);
  if (!c || typeof c.mesh !== 'string' || typeof c.workload !== 'string' || !c.mesh || !c.workload) return null;
  if (c.namespace !== undefined && typeof c.namespace !== 'string') return null;
  return { mesh: c.mesh, workload: c.workload, ...(c.namespace ? { namespace: c.namespace } : {}) };
}
