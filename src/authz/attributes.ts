// From a parsed request to authorization attributes, and from a refusal to
// kube-apiserver's exact Forbidden message, which users grep for and kubectl
// prints verbatim.

import type { UserInfo } from '../api/definition.js';
import { forbidden, type ApiError } from '../api/errors.js';
import type { RequestInfo } from '../apiserver/request-info.js';
import type { AuthorizationAttributes } from './types.js';

/**
 * A list or watch narrowed to one name by `fieldSelector=metadata.name=<name>` is authorized as
 * a request for that name, as kube-apiserver's request info does, so single-object watches can be
 * allowed where listing everything is not (a node watching one Secret).
 */
export function requestAttributes(user: UserInfo, info: RequestInfo, method: string, query?: URLSearchParams): AuthorizationAttributes {
  if (info.kind === 'nonResource') return { user, verb: method.toLowerCase(), resourceRequest: false, path: info.path };
  let name = info.name;
  if (name === undefined && (info.verb === 'list' || info.verb === 'watch')) name = selectedName(query?.get('fieldSelector'));
  return {
    user,
    verb: info.verb,
    resourceRequest: true,
    apiGroup: info.group,
    apiVersion: info.version,
    resource: info.resource,
    subresource: info.subresource,
    namespace: info.namespace,
    name,
  };
}

function selectedName(selector: string | null | undefined): string | undefined {
  if (!selector) return undefined;
  for (const term of selector.split(',')) {
    const m = /^\s*metadata\.name\s*==?\s*(\S+?)\s*$/.exec(term);
    if (m) return m[1];
  }
  return undefined;
}

/** `User "u" cannot list resource "secrets" in API group "" in the namespace "b"`, as kube words it. */
export function forbiddenMessage(a: AuthorizationAttributes): string {
  const who = JSON.stringify(a.user.username);
  if (!a.resourceRequest) return `User ${who} cannot ${a.verb} path ${JSON.stringify(a.path ?? '')}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource ?? '';
  const where = a.namespace ? `in the namespace ${JSON.stringify(a.namespace)}` : 'at the cluster scope';
  return `User ${who} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(a.apiGroup ?? '')} ${where}`;
}

/** The 403 a refused request gets: `pods "x" is forbidden: User ... [: reason]`. */
export function forbiddenError(a: AuthorizationAttributes, reason = ''): ApiError {
  const msg = reason ? `${forbiddenMessage(a)}: ${reason}` : forbiddenMessage(a);
  if (!a.resourceRequest) return forbidden(`forbidden: ${msg}`, { kind: '', group: '' });
  const qualified = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource ?? '';
  const subject = a.name ? `${qualified} ${JSON.stringify(a.name)}` : qualified;
  return forbidden(`${subject} is forbidden: ${msg}`, { name: a.name, group: a.apiGroup ?? '', kind: a.resource ?? '' });
}
