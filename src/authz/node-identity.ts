// Who is a node: kube's node identifier. A node authenticates as
// `system:node:<name>` in group `system:nodes` (its client certificate's CN
// and O); the Node authorizer and NodeRestriction admission key on this.

import type { UserInfo } from '../api/definition.js';

export const NODE_USER_PREFIX = 'system:node:';
export const GROUP_NODES = 'system:nodes';
/** Bootstrap credentials (bootstrap tokens): they may only ask for node certificates. */
export const GROUP_BOOTSTRAPPERS = 'system:bootstrappers';

export const nodeUsername = (name: string) => `${NODE_USER_PREFIX}${name}`;

/** { isNode, name }: a user in system:nodes is a node; name is '' when the username does not say which. */
export function nodeIdentity(user: UserInfo): { isNode: boolean; name: string } {
  if (!user.groups.includes(GROUP_NODES)) return { isNode: false, name: '' };
  const name = user.username.startsWith(NODE_USER_PREFIX) ? user.username.slice(NODE_USER_PREFIX.length) : '';
  return { isNode: true, name };
}

/**
 * The API server's own client certificate towards node log endpoints. It is for nodes only:
 * the Node authorizer refuses it on the API.
 */
export const APISERVER_KUBELET_CLIENT = 'workplane:apiserver-kubelet-client';
