// The audit policy, in kube's `audit.k8s.io/v1` Policy format: rules are
// tried in order and the first that matches the request sets its level
// (None, Metadata, Request, RequestResponse) and the stages left out; a
// request no rule matches is not logged. Parsed and checked once at start.

import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { UserInfo } from '../api/definition.js';

export type Level = 'None' | 'Metadata' | 'Request' | 'RequestResponse';
export type Stage = 'RequestReceived' | 'ResponseStarted' | 'ResponseComplete' | 'Panic';

export const LEVELS: readonly Level[] = ['None', 'Metadata', 'Request', 'RequestResponse'];
export const STAGES: readonly Stage[] = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'];

interface GroupResources {
  group?: string;
  resources?: string[];
  resourceNames?: string[];
}

export interface PolicyRule {
  level: Level;
  users?: string[];
  userGroups?: string[];
  verbs?: string[];
  resources?: GroupResources[];
  namespaces?: string[];
  nonResourceURLs?: string[];
  omitStages?: Stage[];
  omitManagedFields?: boolean;
}

export interface Policy {
  rules: PolicyRule[];
  omitStages?: Stage[];
  omitManagedFields?: boolean;
}

/** What the audit layer needs to know about a request to pick its level. */
export interface AuditAttributes {
  user: UserInfo;
  verb: string;
  resourceRequest: boolean;
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  path: string;
}

export interface RequestAuditConfig {
  level: Level;
  omitStages: ReadonlySet<Stage>;
  omitManagedFields: boolean;
}

const has = (xs: readonly string[] | undefined, x: string) => !!xs && xs.includes(x);
const pathMatches = (path: string, spec: string) => spec === '*' || spec === path || (spec.endsWith('*') && path.startsWith(spec.replace(/\*+$/, '')));

function matchesResource(r: PolicyRule, a: AuditAttributes): boolean {
  if (!a.resourceRequest) return false;
  if (r.namespaces?.length && !has(r.namespaces, a.namespace ?? '')) return false;
  if (!r.resources?.length) return true;
  const resource = a.resource ?? '';
  const sub = a.subresource ?? '';
  const combined = sub ? `${resource}/${sub}` : resource;
  for (const gr of r.resources) {
    if ((gr.group ?? '') !== (a.apiGroup ?? '')) continue;
    if (!gr.resources?.length) return true;
    if (gr.resourceNames?.length && !has(gr.resourceNames, a.name ?? '')) continue;
    for (const res of gr.resources) {
      if (res === combined || res === '*') return true;
      if (sub && res.startsWith('*/') && res.slice(2) === sub) return true;
      if (res.endsWith('/*') && res.slice(0, -2) === resource) return true;
    }
  }
  return false;
}

/** kube's ruleMatches. */
export function ruleMatches(r: PolicyRule, a: AuditAttributes): boolean {
  if (r.users?.length && !has(r.users, a.user.username)) return false;
  if (r.userGroups?.length && !a.user.groups.some((g) => has(r.userGroups, g))) return false;
  if (r.verbs?.length && !has(r.verbs, a.verb)) return false;
  if (r.namespaces?.length || r.resources?.length) return matchesResource(r, a);
  if (r.nonResourceURLs?.length) return !a.resourceRequest && r.nonResourceURLs.some((s) => pathMatches(a.path, s));
  return true;
}

const NONE: RequestAuditConfig = { level: 'None', omitStages: new Set(), omitManagedFields: false };

export function evaluatePolicy(policy: Policy, a: AuditAttributes): RequestAuditConfig {
  for (const r of policy.rules) {
    if (!ruleMatches(r, a)) continue;
    if (r.level === 'None') return NONE;
    return {
      level: r.level,
      omitStages: new Set([...(policy.omitStages ?? []), ...(r.omitStages ?? [])]),
      omitManagedFields: r.omitManagedFields ?? policy.omitManagedFields ?? false,
    };
  }
  return NONE;
}

function strings(v: unknown, where: string, problems: string[]): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    problems.push(`${where}: must be a list of strings`);
    return undefined;
  }
  return v as string[];
}

function stages(v: unknown, where: string, problems: string[]): Stage[] | undefined {
  const xs = strings(v, where, problems);
  for (const s of xs ?? []) if (!STAGES.includes(s as Stage)) problems.push(`${where}: Unsupported value: "${s}": supported values: ${STAGES.map((x) => `"${x}"`).join(', ')}`);
  return xs as Stage[] | undefined;
}

/** Parses and checks a Policy document; throws with every problem found. */
export function parsePolicy(doc: unknown, source = 'audit policy'): Policy {
  const problems: string[] = [];
  const o = (doc ?? {}) as Record<string, unknown>;
  if (o.kind !== 'Policy') problems.push(`kind: must be "Policy", got ${JSON.stringify(o.kind)}`);
  if (o.apiVersion !== 'audit.k8s.io/v1') problems.push(`apiVersion: must be "audit.k8s.io/v1", got ${JSON.stringify(o.apiVersion)}`);
  const rulesIn = Array.isArray(o.rules) ? o.rules : [];
  if (!Array.isArray(o.rules)) problems.push('rules: Required value');
  const rules: PolicyRule[] = rulesIn.map((raw, i) => {
    const r = (raw ?? {}) as Record<string, unknown>;
    const at = `rules[${i}]`;
    if (!LEVELS.includes(r.level as Level)) problems.push(`${at}.level: Unsupported value: ${JSON.stringify(r.level ?? '')}: supported values: ${LEVELS.map((x) => `"${x}"`).join(', ')}`);
    const resources = Array.isArray(r.resources)
      ? (r.resources as Record<string, unknown>[]).map((g, j) => ({
          group: typeof g?.group === 'string' ? g.group : '',
          resources: strings(g?.resources, `${at}.resources[${j}].resources`, problems),
          resourceNames: strings(g?.resourceNames, `${at}.resources[${j}].resourceNames`, problems),
        }))
      : undefined;
    const nonResourceURLs = strings(r.nonResourceURLs, `${at}.nonResourceURLs`, problems);
    if (nonResourceURLs?.length && (resources?.length || (r.namespaces as unknown[] | undefined)?.length)) {
      problems.push(`${at}.nonResourceURLs: Invalid value: rules cannot apply to both regular resources and non-resource URLs`);
    }
    return {
      level: r.level as Level,
      users: strings(r.users, `${at}.users`, problems),
      userGroups: strings(r.userGroups, `${at}.userGroups`, problems),
      verbs: strings(r.verbs, `${at}.verbs`, problems),
      resources,
      namespaces: strings(r.namespaces, `${at}.namespaces`, problems),
      nonResourceURLs,
      omitStages: stages(r.omitStages, `${at}.omitStages`, problems),
      omitManagedFields: typeof r.omitManagedFields === 'boolean' ? r.omitManagedFields : undefined,
    };
  });
  const policy: Policy = {
    rules,
    omitStages: stages(o.omitStages, 'omitStages', problems),
    omitManagedFields: typeof o.omitManagedFields === 'boolean' ? o.omitManagedFields : undefined,
  };
  if (problems.length) throw new Error(`${source}: ${problems.join('; ')}`);
  return policy;
}

export function loadPolicyFile(path: string): Policy {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`--audit-policy-file ${path}: ${(e as Error).message}`);
  }
  return parsePolicy(doc, `--audit-policy-file ${path}`);
}
