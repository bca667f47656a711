// The authenticator `workplane serve` uses: the admin token, then
// ServiceAccount tokens. Cheapest check first, since most requests carry the
// admin token.
import { BearerAuthenticator, type Authenticator } from './authenticator.js';
import { AdminTokenAuthenticator } from './admin-token-authenticator.js';
import { ServiceAccountTokenAuthenticator, type ServiceAccountAuthenticatorOptions } from './service-account-authenticator.js';
import type { TokenIssuer } from './token-issuer.js';

export interface ServerAuthenticatorOptions {
  adminToken: string;
  tokenIssuer: TokenIssuer;
  serviceAccounts?: ServiceAccountAuthenticatorOptions;
}

export function createServerAuthenticator(opts: ServerAuthenticatorOptions): Authenticator {
  return new BearerAuthenticator([
    new AdminTokenAuthenticator(opts.adminToken),
    new ServiceAccountTokenAuthenticator(opts.tokenIssuer, opts.serviceAccounts),
  ]);
}
