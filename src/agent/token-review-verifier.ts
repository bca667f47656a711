// Who may read logs from a remote agent's log server: callers whose bearer
// token the API server vouches for (a TokenReview) as a cluster admin, which
// is how the API server itself calls. Anyone else reads logs through the API.

import type { Logger } from '../client/logger.js';
import type { Client } from '../client/types.js';
import type { TokenVerifier } from './log-server/token-verifier.js';

const TOKEN_REVIEWS = { group: 'authentication.k8s.io', version: 'v1', resource: 'tokenreviews' };
const MASTERS = 'system:masters';

export function tokenReviewVerifier(client: Client, log: Logger): TokenVerifier {
  return async (token) => {
    try {
      const review = await client.resource(TOKEN_REVIEWS).create(undefined, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', metadata: {}, spec: { token } });
      const status = (review.status ?? {}) as { authenticated?: boolean; user?: { groups?: string[] } };
      return status.authenticated === true && (status.user?.groups ?? []).includes(MASTERS);
    } catch (err) {
      log.warn({ err }, 'agent: TokenReview failed; refusing the log request');
      return false;
    }
  };
}
