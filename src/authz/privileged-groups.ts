// kube-apiserver's first authorizer: members of system:masters may do
// anything, whatever RBAC says, so the cluster can never lock its admin out
// (and in-process components, which act in that group, never wait on RBAC).

import type { UserInfo } from '../api/definition.js';
import type { RuleResolver, UserRules } from './rules.js';
import { allow, noOpinion, type AuthorizationAttributes, type AuthorizationResult, type Authorizer } from './types.js';

export const SYSTEM_MASTERS = 'system:masters';

export class PrivilegedGroupsAuthorizer implements Authorizer, RuleResolver {
  constructor(private readonly groups: readonly string[] = [SYSTEM_MASTERS]) {}

  private privileged(user: UserInfo): boolean {
    for (const g of user.groups) if (this.groups.includes(g)) return true;
    return false;
  }

  authorize(a: AuthorizationAttributes): AuthorizationResult {
    return this.privileged(a.user) ? allow() : noOpinion();
  }

  rulesFor(user: UserInfo): UserRules {
    if (!this.privileged(user)) return { resourceRules: [], nonResourceRules: [], incomplete: false };
    return {
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    };
  }
}
