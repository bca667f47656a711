// DataplaneInsight status.mTLS: the record of the certificate a proxy holds,
// written by the control plane only (the DP server's InsightStore, which
// serializes writes per insight with the subscription records).

import { isPlainObject } from '../api/object.js';
import type { IssuedCertificate } from './issuer.js';

/** The slice of the DP server's InsightStore issuance writes through. */
export interface InsightWriter {
  update(namespace: string, name: string, mutate: (status: Record<string, unknown>) => boolean): Promise<void>;
}

/**
 * A status mutation recording `cert` as the proxy's current certificate;
 * `regenerations` counts the certificates it stands for (writes of
 * certificates issued in quick succession are coalesced into one).
 */
export function recordCertificate(cert: IssuedCertificate, supportedBackends: string[], regenerations = 1): (status: Record<string, unknown>) => boolean {
  return (status) => {
    const prev = isPlainObject(status.mTLS) ? status.mTLS : {};
    const count = typeof prev.certificateRegenerations === 'number' ? prev.certificateRegenerations : 0;
    status.mTLS = {
      certificateExpirationTime: cert.notAfter.toISOString(),
      lastCertificateRegeneration: cert.issuedAt.toISOString(),
      certificateRegenerations: count + regenerations,
      issuedBackend: cert.identityName,
      ...(supportedBackends.length > 0 ? { supportedBackends } : {}),
      spiffeID: cert.spiffeId,
    };
    return true;
  };
}
