// The authenticator `workplane serve` uses: a client certificate from the
// cluster CA (nodes, the API server's own clients), else the admin token, then
// ServiceAccount tokens. Cheapest token check first, since most requests carry
// the admin token.
import { BearerAuthenticator, type Authenticator, type TokenAuthenticator } from './authenticator.js';
import { AdminTokenAuthenticator } from './admin-token-authenticator.js';
import { ServiceAccountTokenAuthenticator, type ServiceAccountAuthenticatorOptions } from './service-account-authenticator.js';
import type { TokenIssuer } from './token-issuer.js';
import { ClientCertAuthenticator, RequestAuthenticator } from './client-cert-authenticator.js';

export interface ServerAuthenticatorOptions {
  adminToken: string;
  tokenIssuer: TokenIssuer;
  serviceAccounts?: ServiceAccountAuthenticatorOptions;
  /** Use this ServiceAccount token authenticator (e.g. to clear its cache on revocation) instead of making one. */
  serviceAccountAuthenticator?: ServiceAccountTokenAuthenticator;
  /** Further bearer token kinds (bootstrap tokens), asked after the admin and ServiceAccount tokens. */
  extraTokenAuthenticators?: TokenAuthenticator[];
  /** The CA whose client certificates are accepted (the cluster CA); none: bearer tokens only. */
  clientCaPem?: string;
}

export function createServerAuthenticator(opts: ServerAuthenticatorOptions): Authenticator {
  const tokens = new BearerAuthenticator([
    new AdminTokenAuthenticator(opts.adminToken),
    opts.serviceAccountAuthenticator ?? new ServiceAccountTokenAuthenticator(opts.tokenIssuer, opts.serviceAccounts),
    ...(opts.extraTokenAuthenticators ?? []),
  ]);
  return opts.clientCaPem ? new RequestAuthenticator(new ClientCertAuthenticator(opts.clientCaPem), tokens) : tokens;
}
