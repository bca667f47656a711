// Feeds the registry the CAs each mesh trusts, from the MeshTrusts of the
// system namespace (a MeshTrust's mesh is its kuma.io/mesh label), so every
// proxy's bundle follows MeshTrust changes, including ones users make.

import { meshOf } from '../api/kuma/labels.js';
import type { KObject } from '../api/object.js';
import type { SharedInformers } from '../client/shared-informers.js';
import type { IdentityRegistry } from './identity-registry.js';
import { MESH_TRUSTS, meshTrustPem } from './mesh-trust-sync.js';

export function feedMeshTrusts(informers: SharedInformers, registry: IdentityRegistry, systemNamespace: string): () => void {
  const key = (mt: KObject) => `${mt.metadata.namespace}/${mt.metadata.name}`;
  const put = (mt: KObject) => {
    if (mt.metadata.namespace !== systemNamespace) return;
    registry.deleteMeshTrust(key(mt)); // its mesh label may have changed
    registry.setMeshTrust(meshOf(mt), key(mt), meshTrustPem(mt));
  };
  return informers.informerFor(MESH_TRUSTS).addHandler({
    onAdd: put,
    onUpdate: (_old, mt) => put(mt),
    onDelete: (mt) => registry.deleteMeshTrust(key(mt)),
  });
}
