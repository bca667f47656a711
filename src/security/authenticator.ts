// Request authentication: the HTTP layer hands over the Authorization header
// and the TLS connection (for a client certificate) and gets a user or null
// (anonymous). Each credential kind is a small TokenAuthenticator;
// BearerAuthenticator parses the header once and asks them in turn.
import type { X509Certificate } from 'node:crypto';
import type { UserInfo } from './user-info.js';

/** The TLS side of a request: node's TLSSocket has this method; plain sockets do not. */
export interface TlsPeer {
  getPeerX509Certificate?(): X509Certificate | undefined;
}

export interface Authenticator {
  /**
   * The user the request's credentials prove (the client certificate of `peer`, else the
   * Authorization header), or null when they prove none. Results are shared: treat them as read-only.
   */
  authenticate(authorization: string | undefined, peer?: TlsPeer): Promise<UserInfo | null>;
}

export interface TokenAuthenticator {
  /** The user a bearer token belongs to, or null when this authenticator does not recognise it. */
  authenticateToken(token: string): Promise<UserInfo | null>;
}

/** The token of a `Bearer <token>` header (scheme case-insensitive), or null. */
export function bearerToken(authorization: string | undefined): string | null {
  if (authorization === undefined) return null;
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization);
  return match ? match[1]! : null;
}

export class BearerAuthenticator implements Authenticator {
  constructor(private readonly authenticators: readonly TokenAuthenticator[]) {}

  async authenticate(authorization: string | undefined): Promise<UserInfo | null> {
    const token = bearerToken(authorization);
    if (token === null) return null;
    for (const authenticator of this.authenticators) {
      const user = await authenticator.authenticateToken(token);
      if (user) return user;
    }
    return null;
  }
}
