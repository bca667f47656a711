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
import { BOOTSTRAP_TOKEN_NAMESPACE, BOOTSTRAP_TOKEN_TYPE, bootstrapTokenExpired, bootstrapTokenField, bootstrapTokenSecretName } from '../security/bootstrap-token.js';

export { BOOTSTRAP_TOKEN_NAMESPACE, BOOTSTRAP_TOKEN_TYPE };
const TOKEN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;

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
      obj = await this.registry.lookup('', 'v1', 'secrets')!.get(BOOTSTRAP_TOKEN_NAMESPACE, bootstrapTokenSecretName(id));
    } catch {
      return null;
    }
    if (obj.type !== BOOTSTRAP_TOKEN_TYPE || obj.metadata.deletionTimestamp) return null;
    const field = (name: string) => bootstrapTokenField(obj, name);
    const stored = Buffer.from(field('token-secret') ?? '');
    const given = Buffer.from(secret);
    if (field('token-id') !== id || stored.length !== given.length || !timingSafeEqual(stored, given)) return null;
    if (field('usage-bootstrap-authentication') !== 'true') return null;
    if (bootstrapTokenExpired(obj, this.clock())) return null;
    const extra = (field('auth-extra-groups') ?? '').split(',').map((g) => g.trim()).filter((g) => g.startsWith(`${GROUP_BOOTSTRAPPERS}:`));
    return { username: `system:bootstrap:${id}`, groups: [GROUP_BOOTSTRAPPERS, ...extra, GROUP_AUTHENTICATED], extra: {} };
  }
}
