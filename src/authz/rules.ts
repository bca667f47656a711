// Rule enumeration, for SelfSubjectRulesReview (`kubectl auth can-i --list`)
// and escalation checks: what an authorizer can say a user may do in a
// namespace. Authorizers that cannot enumerate (webhooks, Node) say
// `incomplete`.

import type { UserInfo } from '../api/definition.js';

export interface ResourceRuleInfo {
  verbs: string[];
  apiGroups?: string[];
  resources: string[];
  resourceNames?: string[];
}

export interface NonResourceRuleInfo {
  verbs: string[];
  nonResourceURLs: string[];
}

export interface UserRules {
  resourceRules: ResourceRuleInfo[];
  nonResourceRules: NonResourceRuleInfo[];
  incomplete: boolean;
  evaluationError?: string;
}

export interface RuleResolver {
  rulesFor(user: UserInfo, namespace: string | undefined): UserRules;
}

export const isRuleResolver = (x: unknown): x is RuleResolver => typeof (x as RuleResolver | undefined)?.rulesFor === 'function';

/** Concatenates what each resolver says, as kube's union rule resolver. */
export function unionRules(resolvers: readonly RuleResolver[], user: UserInfo, namespace: string | undefined): UserRules {
  const out: UserRules = { resourceRules: [], nonResourceRules: [], incomplete: false };
  const errors: string[] = [];
  for (const r of resolvers) {
    const x = r.rulesFor(user, namespace);
    out.resourceRules.push(...x.resourceRules);
    out.nonResourceRules.push(...x.nonResourceRules);
    if (x.incomplete) out.incomplete = true;
    if (x.evaluationError) errors.push(x.evaluationError);
  }
  if (errors.length) out.evaluationError = errors.join(', ');
  return out;
}
