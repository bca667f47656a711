// Keeps an RbacIndex current from watch events: one informer per RBAC kind
// over the in-process client (the watch cache), each event applied to the
// index at once. Runs on every replica, with or without controllers, since
// every API server authorizes.

import type { KObject } from '../../api/object.js';
import { Informer } from '../../client/informer.js';
import type { Logger } from '../../client/logger.js';
import type { Client } from '../../client/types.js';
import { RBAC_GROUP } from '../../api/rbac/policy-rule.js';
import type { RbacIndex, RbacKind } from './rbac-index.js';

const KINDS: { kind: RbacKind; resource: string }[] = [
  { kind: 'ClusterRole', resource: 'clusterroles' },
  { kind: 'Role', resource: 'roles' },
  { kind: 'ClusterRoleBinding', resource: 'clusterrolebindings' },
  { kind: 'RoleBinding', resource: 'rolebindings' },
];

export interface RbacFeed {
  /** Resolves true once every kind has been listed into the index. */
  waitForSync(signal?: AbortSignal): Promise<boolean>;
  /** Resolves when the informers have stopped (after `signal` aborts). */
  done: Promise<void>;
  informers: Informer[];
}

export function feedRbacIndex(client: Client, index: RbacIndex, signal: AbortSignal, log?: Logger): RbacFeed {
  const informers = KINDS.map(({ kind, resource }) => {
    const inf = new Informer(client.resource({ group: RBAC_GROUP, version: 'v1', resource }), { log });
    inf.addHandler({
      onAdd: (o: KObject) => index.upsert(kind, o),
      onUpdate: (_old: KObject, o: KObject) => index.upsert(kind, o),
      onDelete: (o: KObject) => index.remove(kind, o),
    });
    return inf;
  });
  const done = Promise.all(informers.map((i) => i.start(signal))).then(() => undefined);
  return {
    informers,
    done,
    waitForSync: async (s?: AbortSignal) => (await Promise.all(informers.map((i) => i.waitForSync(s)))).every(Boolean),
  };
}
