// The control plane's live picture of identities, shared by the MeshIdentity
// controller (which writes it) and issuance (which reads it on every
// certificate): each identity's spec, trust domain, readiness and signing
// CA, and each mesh's trusted CAs (from MeshTrusts). Listeners hear which
// meshes changed, batched per turn of the event loop, so a burst of updates
// costs one pass over the affected proxies.

import { createHash } from 'node:crypto';
import { pemBlocks, toPem } from './der/pem.js';
import type { IdentitySpec } from './identity-spec.js';
import type { SigningCa } from './signing-ca.js';

export interface IdentityEntry extends IdentitySpec {
  /** Rendered; undefined when it does not render. */
  trustDomain?: string;
  /** Ready condition True: the identity issues certificates. */
  ready: boolean;
  /** Present when ready with a certificate provider. */
  ca?: SigningCa;
  /** Lifetime of issued certificates. */
  expiryMs: number;
}

export type MeshesChanged = (meshes: ReadonlySet<string>) => void;

// Everything issuance compares: when none of it changes, nobody is told.
const fingerprintOf = (e: IdentityEntry) =>
  JSON.stringify([e.mesh, e.matchLabels ?? null, e.trustDomain, e.pathTemplate?.source, e.ready, e.ca?.fingerprint, e.ca?.certPem.length, e.expiryMs, e.templateError]);

export class IdentityRegistry {
  private readonly entries = new Map<string, { entry: IdentityEntry; fp: string }>();
  private readonly trusts = new Map<string, Map<string, string>>();
  private readonly bundles = new Map<string, string>();
  private readonly listeners = new Set<MeshesChanged>();
  private pending?: Set<string>;

  get(key: string): IdentityEntry | undefined {
    return this.entries.get(key)?.entry;
  }

  /** All identities of a mesh (for the connect-time rule); `ready` narrows to those issuing. */
  *ofMesh(mesh: string, ready = false): Iterable<IdentityEntry> {
    for (const { entry } of this.entries.values()) if (entry.mesh === mesh && (!ready || (entry.ready && entry.ca))) yield entry;
  }

  all(): IdentityEntry[] {
    return [...this.entries.values()].map((e) => e.entry);
  }

  /** Replaces an identity; listeners hear of it only when something issuance reads changed. */
  set(entry: IdentityEntry): void {
    const fp = fingerprintOf(entry);
    const prev = this.entries.get(entry.key);
    this.entries.set(entry.key, { entry, fp });
    if (prev?.fp === fp) return;
    if (prev && prev.entry.mesh !== entry.mesh) this.changed(prev.entry.mesh);
    this.changed(entry.mesh);
  }

  delete(key: string): void {
    const prev = this.entries.get(key);
    if (!prev) return;
    this.entries.delete(key);
    this.changed(prev.entry.mesh);
  }

  /** The CAs of one MeshTrust (by `namespace/name`) of a mesh; an empty PEM removes it. */
  setMeshTrust(mesh: string, key: string, pem: string): void {
    let m = this.trusts.get(mesh);
    if (!m) this.trusts.set(mesh, (m = new Map()));
    if ((m.get(key) ?? '') === pem) return;
    if (pem) m.set(key, pem);
    else m.delete(key);
    this.bundles.clear();
    this.changed(mesh);
  }

  /** Drops a MeshTrust from whichever mesh it was in. */
  deleteMeshTrust(key: string): void {
    for (const [mesh, m] of this.trusts) if (m.has(key)) this.setMeshTrust(mesh, key, '');
  }

  /**
   * What a proxy of `mesh` trusts: the CAs of the mesh's MeshTrusts plus the
   * CA that signed its own certificate, each certificate once. Old CAs stay
   * in MeshTrusts, so during a rotation both generations verify.
   */
  bundleFor(mesh: string, ca?: SigningCa): string {
    const key = `${mesh}\0${ca?.fingerprint ?? ''}`;
    let b = this.bundles.get(key);
    if (b === undefined) {
      const seen = new Set<string>();
      b = '';
      const add = (pem: string) => {
        for (const { der } of pemBlocks(pem, 'CERTIFICATE')) {
          const h = createHash('sha256').update(der).digest('hex');
          if (!seen.has(h)) {
            seen.add(h);
            b += toPem('CERTIFICATE', der);
          }
        }
      };
      if (ca) add(ca.certPem);
      for (const pem of this.trusts.get(mesh)?.values() ?? []) add(pem);
      this.bundles.set(key, b);
    }
    return b;
  }

  /** Names of the MeshTrusts of a mesh (DataplaneInsight's supportedBackends). */
  trustNames(mesh: string): string[] {
    return [...(this.trusts.get(mesh)?.keys() ?? [])].map((k) => k.slice(k.indexOf('/') + 1)).sort();
  }

  onChange(l: MeshesChanged): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private changed(mesh: string): void {
    if (this.pending) {
      this.pending.add(mesh);
      return;
    }
    this.pending = new Set([mesh]);
    setImmediate(() => {
      const meshes = this.pending!;
      this.pending = undefined;
      for (const l of this.listeners) l(meshes);
    });
  }
}
