// Recognises ServiceAccount JWTs. A signature check costs far more than the
// rest of a request's authentication, so verified tokens are remembered
// briefly (never past their own expiry); an optional hook lets the server
// reject tokens whose ServiceAccount or bound object has been deleted.
import type { TokenAuthenticator } from './authenticator.js';
import type { ServiceAccountUser, TokenIssuer } from './token-issuer.js';
import type { UserInfo } from './user-info.js';
import { TtlCache } from './ttl-cache.js';

export interface ServiceAccountAuthenticatorOptions {
  /** Most tokens remembered at once. Default 4096. */
  cacheSize?: number;
  /** How long a verified token is remembered; also how long a revoked one may still pass. Default 10 s. */
  cacheTtlMs?: number;
  /**
   * Called after the signature checks out, on cache misses only: false rejects
   * the token (e.g. the ServiceAccount's uid no longer matches).
   */
  validate?: (user: ServiceAccountUser) => boolean | Promise<boolean>;
  clock?: () => number;
}

export class ServiceAccountTokenAuthenticator implements TokenAuthenticator {
  private readonly cache: TtlCache<string, ServiceAccountUser>;
  private readonly ttlMs: number;
  private readonly clock: () => number;

  constructor(
    private readonly issuer: TokenIssuer,
    private readonly opts: ServiceAccountAuthenticatorOptions = {},
  ) {
    this.clock = opts.clock ?? issuer.signer.clock;
    this.ttlMs = opts.cacheTtlMs ?? 10_000;
    this.cache = new TtlCache(opts.cacheSize ?? 4096, this.clock);
  }

  async authenticateToken(token: string): Promise<UserInfo | null> {
    const cached = this.cache.get(token);
    if (cached) return cached;
    // Cheap shape test first: admin tokens and garbage never reach the verifier.
    if (token.split('.').length !== 3) return null;
    const user = await this.issuer.verify(token);
    if (!user) return null;
    if (this.opts.validate && !(await this.opts.validate(user))) return null;
    Object.freeze(user.groups);
    Object.freeze(user.extra);
    this.cache.set(token, Object.freeze(user), Math.min(user.expiresAt, this.clock() + this.ttlMs));
    return user;
  }

  /** Forgets every remembered verdict, e.g. after ServiceAccounts were deleted. */
  clearCache(): void {
    this.cache.clear();
  }
}
