// The RBAC authorizer: allows a request when any rule granted to the user
// (by name, by group, or as a ServiceAccount) in the request's namespace or
// cluster-wide allows it; otherwise it has no opinion, so a later authorizer
// may still allow and the union denies at the end, as in kube. Decisions come
// from the RbacIndex alone: nothing is read from storage per request.

import type { UserInfo } from '../../api/definition.js';
import type { PolicyRule } from '../../api/rbac/policy-rule.js';
import { allow, noOpinion, type AuthorizationAttributes, type AuthorizationResult, type Authorizer } from '../types.js';
import type { RuleResolver, UserRules } from '../rules.js';
import type { RbacIndex } from './rbac-index.js';
import { ruleAllows } from './rule-matching.js';

export class RbacAuthorizer implements Authorizer, RuleResolver {
  constructor(readonly index: RbacIndex) {}

  authorize(a: AuthorizationAttributes): AuthorizationResult {
    let reason: string | undefined;
    this.index.visitRules(a.user, a.namespace || undefined, (rule, grant) => {
      if (!ruleAllows(a, rule)) return true;
      reason = grant.describe;
      return false;
    });
    return reason === undefined ? noOpinion() : allow(`RBAC: allowed by ${reason}`);
  }

  rulesFor(user: UserInfo, namespace: string | undefined): UserRules {
    const rules: PolicyRule[] = this.index.rulesFor(user, namespace);
    return splitRules(rules, false);
  }
}

/** As kube's RBAC RulesFor: a rule with resources is a resource rule, one with URLs a non-resource rule. */
export function splitRules(rules: readonly PolicyRule[], incomplete: boolean): UserRules {
  const out: UserRules = { resourceRules: [], nonResourceRules: [], incomplete };
  for (const r of rules) {
    if (r.resources?.length) {
      out.resourceRules.push({
        verbs: [...r.verbs],
        ...(r.apiGroups ? { apiGroups: [...r.apiGroups] } : {}),
        resources: [...r.resources],
        ...(r.resourceNames?.length ? { resourceNames: [...r.resourceNames] } : {}),
      });
    }
    if (r.nonResourceURLs?.length) out.nonResourceRules.push({ verbs: [...r.verbs], nonResourceURLs: [...r.nonResourceURLs] });
  }
  return out;
}
