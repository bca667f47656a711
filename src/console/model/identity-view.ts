// MeshIdentities and the certificates issued under them. The MeshIdentity's
// own status holds only its conditions; what each proxy was issued (SPIFFE
// ID, expiry) is recorded in its DataplaneInsight's status.mTLS, whose
// issuedBackend names the MeshIdentity (src/identity/insight-mtls.ts).

import type { KObject } from '../../api/object.js';
import { conditionOf, specOf, statusOf, type Condition } from './pods.js';

export interface IssuedCertificate {
  dataplane: string;
  namespace: string;
  spiffeID?: string;
  expires?: string;
  issued?: string;
  regenerations?: number;
}

export interface IdentityView {
  name: string;
  namespace: string;
  identity: KObject;
  provider: string;
  trustDomain: string;
  path: string;
  selector: string;
  ready?: Condition;
  conditions: Condition[];
  certificates: IssuedCertificate[];
}

const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const s = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function issuedCertificates(identityName: string, insights: readonly KObject[]): IssuedCertificate[] {
  const out: IssuedCertificate[] = [];
  for (const i of insights) {
    const m = rec(statusOf(i).mTLS);
    if (m.issuedBackend !== identityName) continue;
    out.push({
      dataplane: i.metadata.name ?? '',
      namespace: i.metadata.namespace ?? '',
      spiffeID: s(m.spiffeID),
      expires: s(m.certificateExpirationTime),
      issued: s(m.lastCertificateRegeneration),
      regenerations: typeof m.certificateRegenerations === 'number' ? m.certificateRegenerations : undefined,
    });
  }
  return out.sort((a, b) => `${a.namespace}/${a.dataplane}`.localeCompare(`${b.namespace}/${b.dataplane}`));
}

export function identityView(mi: KObject, insights: readonly KObject[]): IdentityView {
  const spec = specOf(mi);
  const spiffe = rec(spec.spiffeID);
  const labels = rec(rec(rec(spec.selector).dataplane).matchLabels);
  const hasSelector = spec.selector !== undefined;
  const conditions = (statusOf(mi).conditions ?? []) as Condition[];
  return {
    name: mi.metadata.name ?? '',
    namespace: mi.metadata.namespace ?? '',
    identity: mi,
    provider: s(rec(spec.provider).type) ?? '(none: SPIFFE ID only)',
    trustDomain: s(spiffe.trustDomain) ?? '(default)',
    path: s(spiffe.path) ?? '(default)',
    selector: !hasSelector ? '(selects nothing)' : Object.keys(labels).length ? Object.entries(labels).map(([k, v]) => `${k}=${String(v)}`).join(', ') : '(every dataplane of the mesh)',
    ready: conditionOf(mi, 'Ready'),
    conditions: Array.isArray(conditions) ? conditions : [],
    certificates: issuedCertificates(mi.metadata.name ?? '', insights),
  };
}
