// Bootstrap tokens, as kube's: `<id>.<secret>` bearer tokens backed by Secrets
// `kube-system/bootstrap-token-<id>` of type bootstrap.kubernetes.io/token
// (`workplane token node` makes them). Such a token proves the user
// `system:bootstrap:<id>` in group `system:bootstrappers` (plus the Secret's
// auth-extra-groups), which may only ask for node certificates: it lets a
// new node agent join without an admin credential on its host. Expired,
// deleted or mistyped tokens prove nothing.

import { timingSafeEqual } from 'node:crypto';
import type { KObject } from '../api/object.js';
import type { Registry } from '../registry/registry.js';
import type { TokenAuthenticator } from '../security/authenticator.js';
import { GROUP_AUTHENTICATED, type UserInfo } from '../security/user-info.js';
import { GROUP_BOOTSTRAPPERS } from '../authz/node-identity.js';

export const BOOTSTRAP_TOKEN_TYPE = 'bootstrap.kubernetes.io/token';
export const BOOTSTRAP_TOKEN_NAMESPACE = 'kube-system';
const TOKEN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;

const decode = (v: unknown) => (typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : undefined);

export class BootstrapTokenAuthenticator implements TokenAuthenticator {
  constructor(
    private readonly registry: Registry,
    private readonly clock: () => number = Date.now,
  ) {}

  async authenticateToken(token: string): Promise<UserInfo | null> {
    const m = TOKEN.exec(token);
    if (!m) return null;
    const [, id, secret] = m as unknown as [string, string, string];
    let obj: KObject;
    try {
      obj = await this.registry.lookup('', 'v1', 'secrets')!.get(BOOTSTRAP_TOKEN_NAMESPACE, `bootstrap-token-${id}`);
    } catch {
      return null;
    }
    if (obj.type !== BOOTSTRAP_TOKEN_TYPE || obj.metadata.deletionTimestamp) return null;
    const data = (obj.data ?? {}) as Record<string, string>;
    const stored = Buffer.from(decode(data['token-secret']) ?? '');
    const given = Buffer.from(secret);
    if (decode(data['token-id']) !== id || stored.length !== given.length || !timingSafeEqual(stored, given)) return null;
    if (decode(data['usage-bootstrap-authentication']) !== 'true') return null;
    const expiration = decode(data.expiration);
    if (expiration && !(Date.parse(expiration) > this.clock())) return null;
    const extra = (decode(data['auth-extra-groups']) ?? '').split(',').map((g) => g.trim()).filter((g) => g.startsWith(`${GROUP_BOOTSTRAPPERS}:`));
    return { username: `system:bootstrap:${id}`, groups: [GROUP_BOOTSTRAPPERS, ...extra, GROUP_AUTHENTICATED], extra: {} };
  }
}
