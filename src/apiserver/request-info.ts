// Parses a request path into what it addresses, as kube-apiserver's
// RequestInfoFactory does: resource requests (group, version, namespace,
// resource, name, subresource, verb) or non-resource paths. The path is
// already percent-decoded (see request-target.ts) and is split after
// decoding, as kube splits Go's URL.Path.

import { exactFieldMatch, parseFieldSelector } from '../api/field-selector.js';
import { queryBool } from '../api/query-values.js';

export interface ResourceRequest {
  kind: 'resource';
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  /**
   * The object's name: from the path, or (list and watch) from a
   * `metadata.name=` field selector, as kube's RequestInfo reports it.
   */
  name?: string;
  /** True when the name is a path segment (get, update, patch, delete, a legacy `/watch/.../name`). */
  named?: boolean;
  subresource?: string;
  verb: 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';
  /** The verb came from a legacy `/watch/` path prefix rather than the method and `?watch`. */
  verbFromPath?: boolean;
}

export interface NonResourceRequest {
  kind: 'nonResource';
  path: string;
}

export type RequestInfo = ResourceRequest | NonResourceRequest;

// kube's path.IsValidPathSegmentName: a name that can stand in a URL path.
const validPathSegment = (n: string) => n !== '.' && n !== '..' && !n.includes('/') && !n.includes('%');

export function parseRequestInfo(method: string, pathname: string, query: URLSearchParams): RequestInfo {
  const trimmed = pathname.replace(/^\/+|\/+$/g, '');
  const parts = trimmed === '' ? [] : trimmed.split('/');
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else return { kind: 'nonResource', path: pathname };
  // An empty segment (`/api/v1/namespaces//pods`) matches no route.
  if (rest.some((p) => p === '') || version === '' || (parts[0] === 'apis' && group === '')) return { kind: 'nonResource', path: pathname };

  let verbFromPath = false;
  if (rest[0] === 'watch' && rest.length >= 2) {
    verbFromPath = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  // /namespaces/{ns}/{resource}... but /namespaces/{name}[/status|/finalize] is the Namespace itself.
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest[2] === 'status' || rest[2] === 'finalize')) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, pathName, subresource] = rest as [string, string | undefined, string | undefined];
  let verb: ResourceRequest['verb'];
  if (verbFromPath) verb = 'watch';
  else {
    switch (method) {
      case 'GET':
      case 'HEAD':
        verb = pathName ? 'get' : queryBool(query, 'watch') ? 'watch' : 'list';
        break;
      case 'POST':
        verb = 'create';
        break;
      case 'PUT':
        verb = 'update';
        break;
      case 'PATCH':
        verb = 'patch';
        break;
      case 'DELETE':
        verb = pathName ? 'delete' : 'deletecollection';
        break;
      default:
        verb = 'get';
    }
  }
  let name = pathName;
  if (!pathName && !verbFromPath && (verb === 'list' || verb === 'watch')) name = selectedName(query);
  const info: ResourceRequest = { kind: 'resource', group, version, namespace, resource, name, named: pathName !== undefined, subresource, verb };
  if (verbFromPath) info.verbFromPath = true;
  return info;
}

/** The name a field selector pins with `metadata.name=x` (or `==`), as kube's RequiresExactMatch. */
export function selectedName(query: URLSearchParams): string | undefined {
  const selector = query.get('fieldSelector');
  if (!selector) return undefined;
  let name: string | undefined;
  try {
    name = exactFieldMatch(parseFieldSelector(selector), 'metadata.name');
  } catch {
    return undefined; // the list handler reports the malformed selector
  }
  if (name === undefined) return undefined;
  return validPathSegment(name) ? name : undefined;
}
