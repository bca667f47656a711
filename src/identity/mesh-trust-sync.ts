// Keeping the MeshTrust of a MeshIdentity (same name and namespace) holding
// its CA: created on first initialization, the CA appended when it is new,
// older CAs never removed, so proxies holding certificates of the previous
// CA stay trusted through a rotation. Its status.origin names the identity.

import { createHash } from 'node:crypto';
import { MESH_LABEL } from '../api/kuma/labels.js';
import { isPlainObject, type KObject } from '../api/object.js';
import type { Client, ResourceClient } from '../client/types.js';
import { pemBlocks } from './der/pem.js';

export const MESH_TRUSTS = { group: 'kuma.io', version: 'v1alpha1', resource: 'meshtrusts' };

const certHashes = (pem: string) => pemBlocks(pem, 'CERTIFICATE').map((b) => createHash('sha256').update(b.der).digest('hex'));

/** Kuma's resource identifier of a MeshIdentity, recorded as the MeshTrust's origin. */
export const kriOf = (mesh: string, namespace: string, name: string) => `kri_mid_${mesh}__${namespace}_${name}_`;

/** The PEM of every CA bundle of a MeshTrust, concatenated. */
export function meshTrustPem(mt: KObject): string {
  const spec = isPlainObject(mt.spec) ? mt.spec : {};
  const bundles = Array.isArray(spec.caBundles) ? spec.caBundles : [];
  return bundles.map((b) => (isPlainObject(b) && isPlainObject(b.pem) && typeof b.pem.value === 'string' ? b.pem.value : '')).join('\n');
}

/** The origin the MeshTrust records (status.origin.kri, or the deprecated spec.origin.kri). */
export function meshTrustOrigin(mt: KObject): { status?: string; spec?: string } {
  const kri = (o: unknown) => (isPlainObject(o) && isPlainObject(o.origin) && typeof o.origin.kri === 'string' ? o.origin.kri : undefined);
  return { status: kri(mt.status), spec: kri(mt.spec) };
}

export class MeshTrustSync {
  private readonly trusts: ResourceClient;

  constructor(client: Client) {
    this.trusts = client.resource(MESH_TRUSTS);
  }

  /**
   * Creates the MeshTrust or appends `caPem` to it when absent, and records the
   * identity as its origin in status.origin; returns whether it wrote.
   * Conflicts throw (the caller retries).
   */
  async ensure(mi: KObject, mesh: string, trustDomain: string, caPem: string): Promise<boolean> {
    const ns = mi.metadata.namespace!;
    const name = mi.metadata.name!;
    const bundle = { type: 'Pem', pem: { value: caPem } };
    let cur = await this.trusts.get(ns, name);
    let wrote = false;
    if (!cur) {
      cur = await this.trusts.create(ns, {
        apiVersion: 'kuma.io/v1alpha1',
        kind: 'MeshTrust',
        metadata: { name, namespace: ns, labels: { [MESH_LABEL]: mesh } },
        spec: { trustDomain, caBundles: [bundle] },
      });
      wrote = true;
    } else {
      const have = new Set(certHashes(meshTrustPem(cur)));
      if (!certHashes(caPem).every((h) => have.has(h))) {
        const spec = isPlainObject(cur.spec) ? cur.spec : {};
        const bundles = Array.isArray(spec.caBundles) ? spec.caBundles : [];
        cur = await this.trusts.update(ns, { ...cur, spec: { ...spec, caBundles: [...bundles, bundle] } });
        wrote = true;
      }
    }
    // Status is written apart from the object (a status subresource), so a crash in between
    // is repaired here: a trust whose first CA is this identity's was created from it, and
    // one still carrying the deprecated spec.origin has it moved over.
    const origin = meshTrustOrigin(cur);
    if (origin.status === undefined && (origin.spec !== undefined || firstBundleIs(cur, caPem))) {
      const status = isPlainObject(cur.status) ? cur.status : {};
      await this.trusts.updateStatus(ns, { ...cur, status: { ...status, origin: { kri: origin.spec ?? kriOf(mesh, ns, name) } } });
      wrote = true;
    }
    return wrote;
  }
}

function firstBundleIs(mt: KObject, caPem: string): boolean {
  const spec = isPlainObject(mt.spec) ? mt.spec : {};
  const first = Array.isArray(spec.caBundles) ? spec.caBundles[0] : undefined;
  const pem = isPlainObject(first) && isPlainObject(first.pem) && typeof first.pem.value === 'string' ? first.pem.value : '';
  const want = certHashes(caPem);
  return want.length > 0 && certHashes(pem).join() === want.join();
}
