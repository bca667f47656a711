// Parses a request path into what it addresses, as kube-apiserver's
// RequestInfoFactory does: resource requests (group, version, namespace,
// resource, name, subresource, verb) or non-resource paths.

export interface ResourceRequest {
  kind: 'resource';
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
  verb: 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';
}

export interface NonResourceRequest {
  kind: 'nonResource';
  path: string;
}

export type RequestInfo = ResourceRequest | NonResourceRequest;

export function parseRequestInfo(method: string, pathname: string, query: URLSearchParams): RequestInfo {
  const parts = pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
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

  let namespace: string | undefined;
  // /namespaces/{ns}/{resource}... but /namespaces/{name}[/status|/finalize] is the Namespace itself.
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(group === '' && rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource] = rest;
  const watchParam = query.get('watch');
  const isWatch = watchParam === 'true' || watchParam === '1';
  let verb: ResourceRequest['verb'];
  switch (method) {
    case 'GET':
    case 'HEAD':
      verb = name ? 'get' : isWatch ? 'watch' : 'list';
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
      verb = name ? 'delete' : 'deletecollection';
      break;
    default:
      verb = 'get';
  }
  return { kind: 'resource', group, version, namespace, resource, name, subresource, verb };
}
