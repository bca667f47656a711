// kube's ControllerRefManager: a controller adopts orphans its selector
// matches (setting itself as controller in ownerReferences) and releases the
// objects it controls that no longer match. Returns the objects it controls
// once done. Writes are merge patches guarded by the object's uid.

import { isConflict, isNotFound } from '../../api/errors.js';
import type { KObject } from '../../api/object.js';
import type { Client, GroupVersionResource } from '../../client/types.js';
import { controllerRef } from './pod-control.js';

export async function adoptAndRelease(
  client: Client,
  gvr: GroupVersionResource,
  owner: KObject,
  controlled: readonly KObject[],
  sameNamespace: readonly KObject[],
  wanted: (o: KObject) => boolean,
  adoptable: (o: KObject) => boolean = () => true,
): Promise<KObject[]> {
  const rc = client.resource(gvr);
  const out: KObject[] = [];
  for (const o of controlled) {
    if (wanted(o) || owner.metadata.deletionTimestamp || o.metadata.deletionTimestamp) {
      out.push(o);
      continue;
    }
    // Release: drop our controller reference, keep the object.
    const refs = (o.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid);
    await ignoreGone(rc.patch(o.metadata.namespace, o.metadata.name!, 'merge', { metadata: { ownerReferences: refs.length ? refs : null, uid: o.metadata.uid } }));
  }
  if (owner.metadata.deletionTimestamp) return out;
  for (const o of sameNamespace) {
    if (o.metadata.deletionTimestamp || o.metadata.ownerReferences?.some((r) => r.controller) || !wanted(o) || !adoptable(o)) continue;
    const refs = [...(o.metadata.ownerReferences ?? []), controllerRef(owner)];
    const adopted = await ignoreGone(rc.patch(o.metadata.namespace, o.metadata.name!, 'merge', { metadata: { ownerReferences: refs, uid: o.metadata.uid } }));
    if (adopted) out.push(adopted);
  }
  return out;
}

async function ignoreGone(p: Promise<KObject>): Promise<KObject | undefined> {
  try {
    return await p;
  } catch (e) {
    if (isNotFound(e) || isConflict(e)) return undefined;
    throw e;
  }
}
