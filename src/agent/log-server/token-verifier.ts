// Remembers the verdicts of a token check (a TokenReview against the API
// server) for a short while: `kubectl logs -f` reconnects and every request
// carries the same token, and a round trip per request is wasted. Rejections
// are remembered for less time than acceptances; errors are not remembered.

import { createHash } from 'node:crypto';
import { TtlCache } from '../../security/ttl-cache.js';

export interface CachedVerifierOptions {
  /** How long an accepted token is trusted without asking again. Default 60 s. */
  ttlMs?: number;
  /** How long a rejected token stays rejected. Default 5 s. */
  failureTtlMs?: number;
  maxEntries?: number;
  clock?: () => number;
}

export type TokenVerifier = (token: string) => Promise<boolean>;

export function cachedVerifier(verify: TokenVerifier, opts: CachedVerifierOptions = {}): TokenVerifier {
  const clock = opts.clock ?? Date.now;
  const cache = new TtlCache<string, boolean>(opts.maxEntries ?? 1024, clock);
  const inFlight = new Map<string, Promise<boolean>>();
  return async (token) => {
    // Keyed by digest: the cache should not be a second copy of live credentials.
    const key = createHash('sha256').update(token).digest('base64');
    const known = cache.get(key);
    if (known !== undefined) return known;
    let pending = inFlight.get(key);
    if (!pending) {
      pending = verify(token)
        .then((ok) => {
          cache.set(key, ok, clock() + (ok ? (opts.ttlMs ?? 60_000) : (opts.failureTtlMs ?? 5_000)));
          return ok;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  };
}
