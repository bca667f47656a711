// Test support for identity: CAs, CSRs (made with @peculiar/x509, an
// implementation independent of the DER code under test), Dataplanes and
// MeshIdentities, and openssl verification when openssl is installed.

import { execFileSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KObject } from '../api/object.js';
import { x509 } from '../security/x509.js';
import { createCa, type CaPem } from './ca-generate.js';
import type { IdentityEntry } from './identity-registry.js';
import { identitySpecOf } from './identity-spec.js';
import { newKey } from './proxy-side.js';
import type { Clock } from './renewal.js';
import { signingCaOf, type SigningCa } from './signing-ca.js';
import { asKeyType, generateKeyPair, signingAlgorithmOf } from './webcrypto-keys.js';

export const SYSTEM_NS = 'kuma-system';

/** A CSR for a fresh key; `sanUri` asks for a name the control plane must ignore. */
export async function makeCsr(keyType = 'ecdsa-p256', opts: { sanUri?: string; cn?: string } = {}): Promise<string> {
  if (!opts.sanUri && !opts.cn) return (await newKey(keyType)).csrPem;
  const t = asKeyType(keyType);
  const keys = await generateKeyPair(t);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    keys,
    signingAlgorithm: signingAlgorithmOf(t),
    ...(opts.cn ? { name: `CN=${opts.cn}` } : {}),
    extensions: opts.sanUri ? [new x509.SubjectAlternativeNameExtension([{ type: 'url', value: opts.sanUri }])] : [],
  });
  return csr.toString('pem');
}

export async function makeSigningCa(opts: { keyType?: string; trustDomain?: string; issuer?: CaPem } = {}): Promise<{ pem: CaPem; ca: SigningCa }> {
  const td = opts.trustDomain ?? 'example.com';
  const pem = await createCa({ commonName: td, trustDomain: td, keyType: opts.keyType, issuer: opts.issuer });
  return { pem, ca: signingCaOf(pem.certPem, createPrivateKey(pem.keyPem)) };
}

export function dataplane(name: string, labels: Record<string, string> = {}, opts: { namespace?: string; pod?: boolean } = {}): KObject {
  return {
    apiVersion: 'kuma.io/v1alpha1',
    kind: 'Dataplane',
    metadata: {
      name,
      namespace: opts.namespace ?? 'default',
      labels,
      ...(opts.pod ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name, uid: `uid-${name}`, controller: true }] } : {}),
    },
    spec: { networking: { address: '127.0.0.1', inbound: [{ port: 8080, tags: { 'kuma.io/service': name } }] } },
  };
}

export function meshIdentity(name: string, spec: Record<string, unknown>, labels: Record<string, string> = {}): KObject {
  return { apiVersion: 'kuma.io/v1alpha1', kind: 'MeshIdentity', metadata: { name, namespace: SYSTEM_NS, labels }, spec };
}

/** The seed's MeshIdentity (seed 001), verbatim in substance. */
export function seedMeshIdentity(): KObject {
  return meshIdentity(
    'workload-identity',
    {
      selector: { dataplane: { matchLabels: { 'kuma.io/workload': 'demo-workload' } } },
      spiffeID: { trustDomain: 'example.com', path: '/workload/{{ .Workload }}' },
      provider: { type: 'Bundled', bundled: { meshTrustCreation: 'Enabled', insecureAllowSelfSigned: true, autogenerate: { enabled: true } } },
    },
    { 'kuma.io/mesh': 'default' },
  );
}

/** A ready registry entry for `mi` signing with `ca`. */
export function readyEntry(mi: KObject, ca: SigningCa, trustDomain: string, expiryMs = 86_400_000): IdentityEntry {
  return { ...identitySpecOf(mi), trustDomain, ready: true, ca, expiryMs };
}

let opensslPath: string | null | undefined;
export function hasOpenssl(): boolean {
  if (opensslPath === undefined) {
    try {
      opensslPath = execFileSync('which', ['openssl'], { encoding: 'utf8' }).trim() || null;
    } catch {
      opensslPath = null;
    }
  }
  return opensslPath !== null;
}

/** `openssl verify -x509_strict -CAfile bundle cert`: the output, or throws with openssl's complaint. */
export function opensslVerify(bundlePem: string, certPem: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'wp-identity-'));
  try {
    writeFileSync(join(dir, 'bundle.pem'), bundlePem);
    writeFileSync(join(dir, 'cert.pem'), certPem);
    return execFileSync('openssl', ['verify', '-x509_strict', '-purpose', 'sslclient', '-CAfile', join(dir, 'bundle.pem'), join(dir, 'cert.pem')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether `certPem` chains to one of the certificates of `bundlePem` (Node's own check). */
export function issuedByBundle(certPem: string, bundlePem: string): boolean {
  const cert = new X509Certificate(certPem);
  const cas = bundlePem.split(/(?<=-----END CERTIFICATE-----\n)/).filter((p) => p.includes('BEGIN'));
  return cas.some((p) => {
    const ca = new X509Certificate(p);
    return cert.checkIssued(ca) && cert.verify(ca.publicKey);
  });
}

/** A clock tests move by hand. */
export class FakeClock implements Clock {
  constructor(public t = Date.now()) {}
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private seq = 0;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.seq;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (h: unknown) => {
    this.timers = this.timers.filter((x) => x.id !== h);
  };
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = next.at;
      next.fn();
    }
    this.t = end;
  }
}

