// The Node authorizer: what a node agent (user system:node:<name>, group
// system:nodes) may do, decided for nodes alone. In kube this is the node
// authorizer plus the system:node role; Workplane has no RBAC role for nodes,
// so this authorizer decides every node request: it allows what a node agent
// needs and denies the rest. Writes are narrowed further by NodeRestriction
// admission (its own Node, Lease and bound pods), which sees the objects.
// Bootstrap credentials (group system:bootstrappers) may only read discovery
// and ask for node certificates; the API server's client certificate for node
// log endpoints is refused outright. Requests from anyone else get no opinion.

import { allow, deny, noOpinion, type AuthorizationAttributes, type AuthorizationResult, type Authorizer } from './types.js';
import { APISERVER_KUBELET_CLIENT, GROUP_BOOTSTRAPPERS, nodeIdentity } from './node-identity.js';
import type { ReferenceKind } from './node-graph.js';

/** What the authorizer asks of the pod graph (NodeGraph). */
export interface NodeRelations {
  references(node: string, kind: ReferenceKind, namespace: string, name: string): boolean;
}

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** The ConfigMap where the control plane publishes its DP server (address and CA): public, read by every node. */
export const DP_SERVER_CONFIGMAP = 'workplane-dp-server';

const READ = new Set(['get', 'list', 'watch']);
const WRITE = new Set(['create', 'update', 'patch']);

export class NodeAuthorizer implements Authorizer {
  constructor(private readonly graph: NodeRelations) {}

  authorize(a: AuthorizationAttributes): AuthorizationResult {
    if (a.user.username === APISERVER_KUBELET_CLIENT) return deny('this identity is for node log endpoints only');
    const { isNode, name: node } = nodeIdentity(a.user);
    if (!isNode && a.user.groups.includes(GROUP_BOOTSTRAPPERS)) return bootstrapper(a);
    if (!isNode) return noOpinion();
    if (!node) return deny(`unknown node for user ${JSON.stringify(a.user.username)}`);
    if (!a.resourceRequest) return a.verb === 'get' ? allow() : deny('nodes may only read non-resource paths');
    const verdict = this.decide(node, a);
    return verdict ?? deny(`node '${node}' may not ${a.verb} this resource`);
  }

  private decide(node: string, a: AuthorizationAttributes): AuthorizationResult | undefined {
    const { verb, subresource: sub = '', namespace = '', name } = a;
    const own = name === undefined || name === node;
    switch (`${a.apiGroup ?? ''}/${a.resource ?? ''}`) {
      case '/nodes':
        if (sub === '' && READ.has(verb)) return allow();
        if ((sub === '' || sub === 'status') && (WRITE.has(verb) || (verb === 'delete' && sub === ''))) {
          return own ? allow() : deny(`node '${node}' may only modify its own Node`);
        }
        return undefined;
      case '/pods':
        if (sub === '' && (READ.has(verb) || verb === 'delete')) return allow();
        if (sub === 'status' && (verb === 'update' || verb === 'patch' || verb === 'get')) return allow();
        return undefined;
      case 'coordination.k8s.io/leases':
        if (namespace !== NODE_LEASE_NAMESPACE || !(WRITE.has(verb) || verb === 'get' || verb === 'delete')) return undefined;
        return own ? allow() : deny(`node '${node}' may only access its own Lease`);
      case '/events':
      case 'events.k8s.io/events':
        return WRITE.has(verb) ? allow() : undefined;
      case '/namespaces':
        return sub === '' && READ.has(verb) ? allow() : undefined;
      case '/secrets':
      case '/configmaps':
        if (!READ.has(verb) || sub !== '') return undefined;
        if (a.resource === 'configmaps' && name === DP_SERVER_CONFIGMAP) return allow();
        return this.related(node, a.resource as ReferenceKind, namespace, name);
      case '/serviceaccounts':
        if (sub === 'token' && verb === 'create') return this.related(node, 'serviceaccounts', namespace, name);
        return undefined;
      case 'certificates.k8s.io/certificatesigningrequests':
        return sub === '' && (verb === 'create' || READ.has(verb)) ? allow() : undefined;
      case 'authentication.k8s.io/tokenreviews':
      case 'authorization.k8s.io/subjectaccessreviews':
        return verb === 'create' ? allow() : undefined;
      case 'kuma.io/dataplanes':
      case 'kuma.io/meshes':
        return READ.has(verb) ? allow() : undefined;
    }
    return undefined;
  }

  private related(node: string, kind: ReferenceKind, namespace: string, name: string | undefined): AuthorizationResult {
    if (name !== undefined && this.graph.references(node, kind, namespace, name)) return allow();
    return deny(`no relationship found between node '${node}' and this object`);
  }
}

/** A bootstrap token joins a node: discovery and its certificate requests, nothing else. */
function bootstrapper(a: AuthorizationAttributes): AuthorizationResult {
  if (!a.resourceRequest) return a.verb === 'get' ? allow() : deny('bootstrap tokens may only read non-resource paths');
  const csr = a.apiGroup === 'certificates.k8s.io' && a.resource === 'certificatesigningrequests' && !a.subresource;
  if (csr && (a.verb === 'create' || READ.has(a.verb))) return allow();
  return deny('bootstrap tokens may only request node certificates');
}
