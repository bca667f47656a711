// Builds the authorizer chain `workplane serve` runs, in kube's order:
// system:masters first, then the authorizers put `before` RBAC (the Node
// authorizer), then RBAC, or AlwaysAllow when RBAC is switched off. The
// result also enumerates rules (for SelfSubjectRulesReview) from every part
// that can.

import type { UserInfo } from '../api/definition.js';
import { PrivilegedGroupsAuthorizer } from './privileged-groups.js';
import type { RbacAuthorizer } from './rbac/rbac-authorizer.js';
import { isRuleResolver, unionRules, type RuleResolver, type UserRules } from './rules.js';
import type { AuthorizationAttributes, AuthorizationResult, Authorizer } from './types.js';
import { UnionAuthorizer, alwaysAllow } from './union.js';

export type AuthorizationMode = 'RBAC' | 'AlwaysAllow';
export const AUTHORIZATION_MODES: readonly AuthorizationMode[] = ['RBAC', 'AlwaysAllow'];

export interface AuthorizerOptions {
  mode: AuthorizationMode;
  /** Required for RBAC mode. */
  rbac?: RbacAuthorizer;
  /** Asked after system:masters and before RBAC (kube: Node, then RBAC). */
  before?: readonly Authorizer[];
}

export interface ChainAuthorizer extends Authorizer, RuleResolver {
  readonly mode: AuthorizationMode;
}

export function createAuthorizer(opts: AuthorizerOptions): ChainAuthorizer {
  const last: Authorizer = opts.mode === 'AlwaysAllow' ? alwaysAllow : required(opts.rbac);
  const parts: Authorizer[] = [new PrivilegedGroupsAuthorizer(), ...(opts.before ?? []), last];
  const union = new UnionAuthorizer(parts);
  const resolvers: RuleResolver[] = parts.filter((p): p is Authorizer & RuleResolver => isRuleResolver(p));
  const everything = opts.mode === 'AlwaysAllow';
  return {
    mode: opts.mode,
    authorize: (a: AuthorizationAttributes): AuthorizationResult => union.authorize(a),
    rulesFor(user: UserInfo, namespace: string | undefined): UserRules {
      if (everything) {
        return { resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }], incomplete: false };
      }
      return unionRules(resolvers, user, namespace);
    },
  };
}

function required(rbac: RbacAuthorizer | undefined): RbacAuthorizer {
  if (!rbac) throw new Error('authorization mode RBAC needs an RBAC authorizer');
  return rbac;
}
