// Workload identity: MeshIdentity selection and SPIFFE IDs, the Bundled CA
// provider and its MeshTrust, certificate issuance over DP streams (control
// plane side) and the proxy side that requests and writes certificates.

export { startIdentityControllers, type IdentityControllers, type StartIdentityOptions } from './start.js';
export { identityDpPlugin, type IdentityDpPlugin } from './dp-plugin.js';
export { ProxyIdentity, identitySessionHooks, newKey, DEFAULT_PROXY_KEY_TYPE, type ProxyIdentityOptions, type SendToControlPlane } from './proxy-side.js';
export { writeIdentityFiles, IDENTITY_FILES, type IdentityFiles } from './identity-files.js';
export { ProxySessions, type ProxyChannel, type ProxySessionsOptions } from './proxy-sessions.js';
export { Issuer, NOT_BEFORE_SKEW_MS, type IssueResult, type IssuedCertificate, type Plan, type Refusal, type RefusalReason } from './issuer.js';
export { IdentityRegistry, type IdentityEntry } from './identity-registry.js';
export { identitySpecOf, type IdentitySpec } from './identity-spec.js';
export { selectIdentity, selectIdentityFor, selects, type Selectable } from './selection.js';
export { DEFAULT_ZONE, flowOf, missingWorkloadLabel, pathTemplateFor, renderSpiffeId, renderTrustDomain, SpiffeIdError, type DataplaneFlow } from './render.js';
export { BundledProvider, ProviderError, rootCaSecretName, privateKeySecretName } from './bundled-provider.js';
export { MeshTrustSync, meshTrustPem } from './mesh-trust-sync.js';
export { MeshIdentityReconciler, meshIdentityController, MESH_IDENTITIES } from './mesh-identity-controller.js';
export { RenewalScheduler, renewAt, RENEW_AT_FRACTION, systemClock, type Clock } from './renewal.js';
export { recordCertificate, type InsightWriter } from './insight-mtls.js';
export { createCa, isSelfSigned, type CaPem, type CreateCaOptions } from './ca-generate.js';
export { signingCaOf, type SigningCa } from './signing-ca.js';
export type { CertificateRequestMessage, IdentityControlMessage } from './messages.js';
export { verifyCsr, CsrError, type VerifiedKey } from './der/csr.js';
export { LeafCertificateWriter, type CaSigningKey, type LeafRequest } from './der/leaf-certificate.js';
export { keyTypeName, keyTypeOf, parseKeyTypeName, type KeyType } from './der/algorithms.js';
