// Objects the mesh needs from the first start: Mesh `default` (what an
// unlabelled resource belongs to) and the system namespace holding
// MeshIdentity and MeshTrust. Idempotent: existing objects are left as they are.

import { isAlreadyExists } from '../../api/errors.js';
import { DEFAULT_MESH } from '../../api/kuma/labels.js';
import type { KObject } from '../../api/object.js';
import type { Client, GroupVersionResource } from '../../client/types.js';
import type { MeshConfig } from '../../mesh/config.js';
import { MESHES, NAMESPACES } from './resources.js';

async function ensure(client: Client, gvr: GroupVersionResource, obj: KObject): Promise<void> {
  const rc = client.resource(gvr);
  if (await rc.get(undefined, obj.metadata.name!)) return;
  try {
    await rc.create(undefined, obj);
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
  }
}

export async function ensureMeshBootstrap(client: Client, config: Pick<MeshConfig, 'systemNamespace'>): Promise<void> {
  await ensure(client, NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: config.systemNamespace } });
  await ensure(client, MESHES, { apiVersion: 'kuma.io/v1alpha1', kind: 'Mesh', metadata: { name: DEFAULT_MESH }, spec: {} });
}
