// Issuance: given a dataplane and its request (or its already verified key),
// pick its identity, compute its SPIFFE ID and sign. Refusals are values,
// not exceptions, each with a stable reason, because the caller answers
// the proxy with them and keeps going.

import { meshOf } from '../api/kuma/labels.js';
import type { KObject } from '../api/object.js';
import { keyTypeName, leafKeyFits } from './der/algorithms.js';
import { CsrError, verifyCsr, type VerifiedKey } from './der/csr.js';
import { toPem } from './der/pem.js';
import type { IdentityEntry, IdentityRegistry } from './identity-registry.js';
import { missingWorkloadLabel, renderSpiffeId, SpiffeIdError } from './render.js';
import { selectIdentityFor } from './selection.js';
import type { SigningCa } from './signing-ca.js';

/** How long before "now" a certificate starts to be valid, for proxies whose clocks run behind (spec: 10 s). */
export const NOT_BEFORE_SKEW_MS = 10_000;

export type RefusalReason = 'InvalidRequest' | 'NotSelected' | 'MissingLabel' | 'InvalidSpiffeId' | 'KeyTypeMismatch';

export interface Refusal {
  ok: false;
  reason: RefusalReason;
  message: string;
  /** KeyTypeMismatch: the key type to send a new request for. */
  keyType?: string;
}

/** The identity a dataplane would get right now. */
export interface Plan {
  ok: true;
  identity: IdentityEntry & { ca: SigningCa };
  spiffeId: string;
}

export interface IssuedCertificate {
  ok: true;
  certPem: string;
  bundlePem: string;
  spiffeId: string;
  /** `namespace/name` and name of the issuing MeshIdentity. */
  identityKey: string;
  identityName: string;
  caFingerprint: string;
  issuedAt: Date;
  notBefore: Date;
  notAfter: Date;
}

export type IssueResult = IssuedCertificate | Refusal;

const refuse = (reason: RefusalReason, message: string, keyType?: string): Refusal => ({ ok: false, reason, message, ...(keyType ? { keyType } : {}) });

export interface IssuerOptions {
  now?: () => number;
}

export class Issuer {
  private readonly now: () => number;

  constructor(
    readonly registry: IdentityRegistry,
    opts: IssuerOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** Which ready identity issues to `dp` and with which SPIFFE ID, or why none does. */
  plan(dp: KObject): Plan | Refusal {
    const mi = selectIdentityFor(dp, this.registry.ofMesh(meshOf(dp), true));
    if (!mi || !mi.ca || !mi.trustDomain) return refuse('NotSelected', `no ready MeshIdentity of mesh "${meshOf(dp)}" selects this dataplane`);
    const missing = missingWorkloadLabel(mi, dp);
    if (missing) return refuse('MissingLabel', missing);
    try {
      return { ok: true, identity: mi as Plan['identity'], spiffeId: renderSpiffeId(mi, mi.trustDomain, dp) };
    } catch (e) {
      if (e instanceof SpiffeIdError) return refuse('InvalidSpiffeId', `MeshIdentity '${mi.name}': ${e.message}`);
      throw e;
    }
  }

  /** Verifies a request's signature (names in it are ignored); a refusal when it is malformed or forged. */
  verifyRequest(csr: string | Buffer): VerifiedKey | Refusal {
    try {
      return verifyCsr(csr);
    } catch (e) {
      if (e instanceof CsrError) return refuse('InvalidRequest', `certificate request refused: ${e.message}`);
      throw e;
    }
  }

  /** Issues to `dp` for the key of `request` (a PEM/DER CSR, or a key verified earlier). */
  issue(dp: KObject, request: string | Buffer | VerifiedKey): IssueResult {
    const key = typeof request === 'string' || Buffer.isBuffer(request) ? this.verifyRequest(request) : request;
    if ('ok' in key) return key;
    const plan = this.plan(dp);
    if (!plan.ok) return plan;
    return this.sign(plan, key);
  }

  /** Signs `key` as planned; refuses a key of the wrong type for the CA. */
  sign(plan: Plan, key: VerifiedKey): IssueResult {
    const ca = plan.identity.ca;
    if (!leafKeyFits(key.keyType, ca.keyType)) {
      return refuse(
        'KeyTypeMismatch',
        `certificate request refused: MeshIdentity '${plan.identity.name}' issues ${ca.leafKeyType} certificates, the request holds a ${keyTypeName(key.keyType)} key`,
        ca.leafKeyType,
      );
    }
    // Whole seconds: all a certificate can say, and renewal times then come out exact.
    const now = Math.floor(this.now() / 1000) * 1000;
    const notBefore = now - NOT_BEFORE_SKEW_MS;
    // A leaf never outlives its CA: past that it would not verify anyway.
    const notAfter = Math.min(now + plan.identity.expiryMs, ca.notAfter);
    const der = ca.writer.certificate({ spki: key.spki, uri: plan.spiffeId, notBefore, notAfter });
    return {
      ok: true,
      certPem: toPem('CERTIFICATE', der),
      bundlePem: this.registry.bundleFor(plan.identity.mesh, ca),
      spiffeId: plan.spiffeId,
      identityKey: plan.identity.key,
      identityName: plan.identity.name,
      caFingerprint: ca.fingerprint,
      issuedAt: new Date(now),
      notBefore: new Date(notBefore),
      notAfter: new Date(Math.floor(notAfter / 1000) * 1000),
    };
  }
}
