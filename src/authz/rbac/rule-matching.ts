// Whether one PolicyRule allows a request, with kube's semantics exactly:
// `*` for verbs, groups and resources; `<resource>/<subresource>` and
// `*/<subresource>` (a rule naming `pods/*` is no wildcard in kube, and is
// none here); resourceNames limit by name (never matching a request without
// one, such as list or create); nonResourceURLs match exactly or by a
// trailing-`*` prefix. Rules are compiled once per role change into sets, so
// a request walks a few set lookups per rule.

import type { PolicyRule } from '../../api/rbac/policy-rule.js';
import type { AuthorizationAttributes } from '../types.js';

const ALL = '*';

export interface CompiledRule {
  readonly source: PolicyRule;
  readonly allVerbs: boolean;
  readonly verbs: ReadonlySet<string>;
  readonly allGroups: boolean;
  readonly groups: ReadonlySet<string>;
  readonly allResources: boolean;
  /** Exact `resource` or `resource/subresource` entries. */
  readonly resources: ReadonlySet<string>;
  /** Subresources granted for every resource through `*\/sub`. */
  readonly anySubresource: ReadonlySet<string>;
  /** Empty: every name. */
  readonly names: ReadonlySet<string>;
  readonly urls: ReadonlySet<string>;
  readonly urlPrefixes: readonly string[];
  readonly allUrls: boolean;
}

const list = (v: readonly string[] | undefined) => v ?? [];

export function compileRule(rule: PolicyRule): CompiledRule {
  const resources = list(rule.resources);
  const urls = list(rule.nonResourceURLs);
  return {
    source: rule,
    allVerbs: list(rule.verbs).includes(ALL),
    verbs: new Set(rule.verbs),
    allGroups: list(rule.apiGroups).includes(ALL),
    groups: new Set(rule.apiGroups),
    allResources: resources.includes(ALL),
    resources: new Set(resources),
    anySubresource: new Set(resources.filter((r) => r.startsWith('*/')).map((r) => r.slice(2))),
    names: new Set(rule.resourceNames),
    urls: new Set(urls),
    urlPrefixes: urls.filter((u) => u.endsWith('*')).map((u) => u.replace(/\*+$/, '')),
    allUrls: urls.includes(ALL),
  };
}

export const verbMatches = (r: CompiledRule, verb: string) => r.allVerbs || r.verbs.has(verb);
export const apiGroupMatches = (r: CompiledRule, group: string) => r.allGroups || r.groups.has(group);

export function resourceMatches(r: CompiledRule, resource: string, subresource: string | undefined): boolean {
  if (r.allResources) return true;
  if (!subresource) return r.resources.has(resource);
  return r.resources.has(`${resource}/${subresource}`) || r.anySubresource.has(subresource);
}

/** A rule with names never matches a request that names nothing (list, watch, create...). */
export const resourceNameMatches = (r: CompiledRule, name: string | undefined) => r.names.size === 0 || (!!name && r.names.has(name));

export function nonResourceURLMatches(r: CompiledRule, path: string): boolean {
  if (r.allUrls || r.urls.has(path)) return true;
  for (const p of r.urlPrefixes) if (path.startsWith(p)) return true;
  return false;
}

/** kube's RuleAllows. */
export function ruleAllows(a: AuthorizationAttributes, r: CompiledRule): boolean {
  if (!a.resourceRequest) return verbMatches(r, a.verb) && nonResourceURLMatches(r, a.path ?? '');
  return (
    verbMatches(r, a.verb) &&
    apiGroupMatches(r, a.apiGroup ?? '') &&
    resourceMatches(r, a.resource ?? '', a.subresource) &&
    resourceNameMatches(r, a.name)
  );
}
