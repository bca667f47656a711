// Whether a signed ServiceAccount token is still good, as kube's legacy
// and bound token validators decide: its ServiceAccount must exist with the
// uid the token names, and the Pod or Secret it was bound to must exist with
// its uid (a pod past its deletion time no longer counts). Deleting any of
// them revokes the token: deletions seen in the watch cache drop every
// remembered verdict at once, so revocation does not wait for the cache TTL.

import type { KObject } from '../api/object.js';
import type { Registry } from '../registry/registry.js';
import type { WatchCache } from '../registry/watch-cache.js';
import type { ServiceAccountUser } from '../security/token-issuer.js';

const BOUND: Record<string, string> = { Pod: 'pods', Secret: 'secrets' };

export function serviceAccountTokenValidator(registry: Registry, clock: () => number = Date.now): (u: ServiceAccountUser) => Promise<boolean> {
  const find = async (resource: string, namespace: string, name: string): Promise<KObject | undefined> => {
    try {
      return await registry.lookup('', 'v1', resource)!.get(namespace, name);
    } catch {
      return undefined;
    }
  };
  return async (u) => {
    const sa = await find('serviceaccounts', u.namespace, u.serviceAccount);
    if (!sa || sa.metadata.deletionTimestamp || (u.uid !== undefined && sa.metadata.uid !== u.uid)) return false;
    const ref = u.boundObject;
    if (!ref) return true;
    const resource = BOUND[ref.kind];
    if (!resource) return false;
    const obj = await find(resource, u.namespace, ref.name);
    if (!obj || obj.metadata.uid !== ref.uid) return false;
    const deletion = obj.metadata.deletionTimestamp;
    return !(deletion && Date.parse(deletion) <= clock());
  };
}

/** Calls `revoked` whenever a ServiceAccount, Pod or Secret is deleted; returns a stop function. */
export function onCredentialOwnerDeleted(registry: Registry, cache: WatchCache, revoked: () => void): () => void {
  const handles = ['serviceaccounts', 'pods', 'secrets'].map((r) =>
    cache.watch(registry.lookup('', 'v1', r)!.cd.prefix, cache.revision, {
      onEvents: (evs) => {
        if (evs.some((e) => e.type === 'DELETED')) revoked();
      },
      onError: () => revoked(),
    }),
  );
  return () => {
    for (const h of handles) h.cancel();
  };
}
