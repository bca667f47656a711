// Impersonation (kube's WithImpersonation filter): `Impersonate-User`,
// `Impersonate-Group`, `Impersonate-Uid` and `Impersonate-Extra-<key>`
// headers make a request act as another user, once the requester is allowed
// the `impersonate` verb on each thing asked for: users, groups,
// serviceaccounts (namespaced), uids, userextras/<key>. The impersonated
// user gets system:authenticated unless the groups asked for say otherwise.

import type { UserInfo } from '../api/definition.js';
import { internalError } from '../api/errors.js';
import { forbiddenError } from './attributes.js';
import type { AuthorizationAttributes, Authorizer } from './types.js';

const USER = 'impersonate-user';
const GROUP = 'impersonate-group';
const UID = 'impersonate-uid';
const EXTRA = 'impersonate-extra-';
const SA_PREFIX = 'system:serviceaccount:';
const AUTHENTICATED = 'system:authenticated';
const UNAUTHENTICATED = 'system:unauthenticated';

/** Headers as node's `req.headersDistinct`: lower-cased names, every value. */
export type DistinctHeaders = Record<string, string[] | undefined>;

/** True when a request carries any impersonation header (cheap: the common request has none). */
export function wantsImpersonation(headers: Record<string, unknown>): boolean {
  if (headers[USER] !== undefined || headers[GROUP] !== undefined || headers[UID] !== undefined) return true;
  for (const k in headers) if (k.startsWith(EXTRA)) return true;
  return false;
}

interface Request {
  attrs: Omit<AuthorizationAttributes, 'user' | 'verb' | 'resourceRequest'>;
  apply(u: { username: string; uid?: string; groups: string[]; extra: Record<string, string[]>; saGroups?: string[] }): void;
}

function splitServiceAccount(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SA_PREFIX)) return undefined;
  const parts = username.slice(SA_PREFIX.length).split(':');
  return parts.length === 2 && parts[0] && parts[1] ? { namespace: parts[0], name: parts[1] } : undefined;
}

function unescapeKey(k: string): string {
  try {
    return decodeURIComponent(k);
  } catch {
    return k;
  }
}

function requests(headers: DistinctHeaders): Request[] {
  const out: Request[] = [];
  const userName = headers[USER]?.[0] ?? '';
  if (userName) {
    const sa = splitServiceAccount(userName);
    if (sa) {
      out.push({
        attrs: { apiGroup: '', apiVersion: 'v1', resource: 'serviceaccounts', namespace: sa.namespace, name: sa.name },
        apply: (u) => {
          u.username = userName;
          u.saGroups = ['system:serviceaccounts', `system:serviceaccounts:${sa.namespace}`];
        },
      });
    } else {
      out.push({ attrs: { apiGroup: '', apiVersion: 'v1', resource: 'users', name: userName }, apply: (u) => void (u.username = userName) });
    }
  }
  for (const g of headers[GROUP] ?? []) out.push({ attrs: { apiGroup: '', apiVersion: 'v1', resource: 'groups', name: g }, apply: (u) => void u.groups.push(g) });
  for (const [header, values] of Object.entries(headers)) {
    if (!header.startsWith(EXTRA) || !values) continue;
    const key = unescapeKey(header.slice(EXTRA.length)).toLowerCase();
    for (const v of values) {
      out.push({
        attrs: { apiGroup: 'authentication.k8s.io', apiVersion: 'v1', resource: 'userextras', subresource: key, name: v },
        apply: (u) => void (u.extra[key] ??= []).push(v),
      });
    }
  }
  const uid = headers[UID]?.[0] ?? '';
  if (uid) out.push({ attrs: { apiGroup: 'authentication.k8s.io', apiVersion: 'v1', resource: 'uids', name: uid }, apply: (u) => void (u.uid = uid) });
  if (!userName && out.length > 0) {
    throw internalError(`requested ${out.map((r) => `${r.attrs.resource}/${r.attrs.name}`).join(', ')} without impersonating a user`);
  }
  return out;
}

/**
 * The user a request acts as. Throws kube's 403 for the first impersonation
 * the requester may not perform; returns `requestor` when nothing is asked.
 */
export function impersonate(requestor: UserInfo, headers: DistinctHeaders, authorizer: Authorizer): UserInfo {
  const reqs = requests(headers);
  if (reqs.length === 0) return requestor;
  const groupsSpecified = (headers[GROUP]?.length ?? 0) > 0;
  const u = { username: '', uid: undefined as string | undefined, groups: [] as string[], extra: {} as Record<string, string[]>, saGroups: undefined as string[] | undefined };
  for (const r of reqs) {
    const attrs: AuthorizationAttributes = { user: requestor, verb: 'impersonate', resourceRequest: true, ...r.attrs };
    const verdict = authorizer.authorize(attrs);
    if (verdict.decision !== 'allow') throw forbiddenError(attrs, verdict.reason);
    r.apply(u);
  }
  const groups = !groupsSpecified && u.saGroups ? [...u.saGroups, ...u.groups] : u.groups;
  if (!groups.includes(AUTHENTICATED) && !groups.includes(UNAUTHENTICATED)) groups.push(AUTHENTICATED);
  return { username: u.username, ...(u.uid ? { uid: u.uid } : {}), groups, extra: u.extra };
}
