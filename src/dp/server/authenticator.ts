// Who is on the other end of a DP stream, from the bearer token in its call
// metadata: a dataplane token (Universal flow) or a ServiceAccount token (pods).
// Authentication only; whether that credential may act for a given Dataplane
// is authorize-dataplane.ts's question.

import type { JwtSigner, ServiceAccountUser, TokenIssuer } from '../../security/index.js';
import { verifyDataplaneToken, type DataplaneTokenClaims } from '../tokens/dataplane-token.js';

export type DpCredential =
  | { kind: 'dataplane-token'; claims: DataplaneTokenClaims }
  | {
      kind: 'service-account';
      namespace: string;
      serviceAccount: string;
      /** Set when the token was requested bound to a pod. */
      podName?: string;
    };

export interface DpAuthenticator {
  /** null: not a token this server accepts. */
  authenticate(token: string): Promise<DpCredential | null>;
}

export interface DpAuthenticatorOptions {
  /** Verifies dataplane tokens (the control plane's ServiceAccount key). */
  signer: JwtSigner;
  /** Verifies ServiceAccount tokens; omit to refuse them. */
  serviceAccounts?: TokenIssuer;
  /** Whether a verified ServiceAccount token is still good (its ServiceAccount and bound pod exist). */
  validate?: (user: ServiceAccountUser) => boolean | Promise<boolean>;
}

export function createDpAuthenticator(opts: DpAuthenticatorOptions): DpAuthenticator {
  return {
    async authenticate(token) {
      const claims = await verifyDataplaneToken(opts.signer, token);
      if (claims) return { kind: 'dataplane-token', claims };
      const sa = opts.serviceAccounts ? await opts.serviceAccounts.verify(token) : null;
      if (!sa || (opts.validate && !(await opts.validate(sa)))) return null;
      const podName = sa.extra?.['authentication.kubernetes.io/pod-name']?.[0];
      return { kind: 'service-account', namespace: sa.namespace, serviceAccount: sa.serviceAccount, ...(podName ? { podName } : {}) };
    },
  };
}

/** The token of an `authorization: Bearer <token>` metadata value. */
export function bearerFromMetadata(values: readonly (string | Buffer)[]): string | undefined {
  const v = values[0];
  if (v === undefined) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(v.toString());
  return m?.[1];
}
