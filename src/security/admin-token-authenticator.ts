// Recognises the admin token from <dataDir>/admin.token. The comparison takes
// the same time whatever the candidate, so response timing reveals nothing
// about how much of a guess was right.
import { hash, timingSafeEqual } from 'node:crypto';
import type { TokenAuthenticator } from './authenticator.js';
import { ADMIN_USERNAME, GROUP_AUTHENTICATED, GROUP_MASTERS, type UserInfo } from './user-info.js';

const ADMIN_USER: UserInfo = Object.freeze({
  username: ADMIN_USERNAME,
  groups: Object.freeze([GROUP_MASTERS, GROUP_AUTHENTICATED]) as string[],
  extra: Object.freeze({}) as Record<string, string[]>,
});

// Hashing first gives equal-length inputs, which timingSafeEqual requires,
// without leaking the token's length through an early length check.
function digest(token: string): Buffer {
  // The one-shot form: half the cost of a Hash object, paid on every request with a bearer token.
  return hash('sha256', token, 'buffer');
}

export class AdminTokenAuthenticator implements TokenAuthenticator {
  private readonly expected: Buffer;

  constructor(adminToken: string, private readonly user: UserInfo = ADMIN_USER) {
    if (adminToken === '') throw new Error('admin token must not be empty');
    this.expected = digest(adminToken);
  }

  async authenticateToken(token: string): Promise<UserInfo | null> {
    return timingSafeEqual(digest(token), this.expected) ? this.user : null;
  }
}
