// Security primitives of `workplane serve`: certificates, tokens, authentication, kubeconfig.
export { loadOrCreatePki, pkiDir, RENEW_BEFORE_MS, type Pki, type PkiOptions } from './pki.js';
export { createCertificateAuthority, isUsableCa, CA_COMMON_NAME, type CreateCaOptions } from './ca.js';
export {
  issueServingCert,
  servingCertFits,
  servingNames,
  DEFAULT_SERVING_HOSTS,
  type IssueServingCertOptions,
  type ServingNames,
} from './serving-cert.js';
export type { CertKeyPem } from './keys.js';
export { loadOrCreateAdminToken, ADMIN_TOKEN_FILE } from './admin-token.js';
export { JwtSigner, DEFAULT_ISSUER, type JwtSignerOptions, type SignOptions } from './jwt-signer.js';
export {
  TokenIssuer,
  type BoundObjectRef,
  type IssuedToken,
  type ServiceAccountTokenRequest,
  type ServiceAccountUser,
  type TokenIssuerOptions,
} from './token-issuer.js';
export {
  ADMIN_USERNAME,
  GROUP_AUTHENTICATED,
  GROUP_MASTERS,
  GROUP_SERVICE_ACCOUNTS,
  parseServiceAccountUsername,
  serviceAccountGroups,
  serviceAccountUsername,
  type UserInfo,
} from './user-info.js';
export { BearerAuthenticator, bearerToken, type Authenticator, type TlsPeer, type TokenAuthenticator } from './authenticator.js';
export { ClientCertAuthenticator, RequestAuthenticator } from './client-cert-authenticator.js';
export { ClusterSigner, type CertificateProfile } from './cluster-signer.js';
export { createCsr, parseCsr, type CsrSubject, type ParsedCsr } from './csr.js';
export { AdminTokenAuthenticator } from './admin-token-authenticator.js';
export { ServiceAccountTokenAuthenticator, type ServiceAccountAuthenticatorOptions } from './service-account-authenticator.js';
export { createServerAuthenticator, type ServerAuthenticatorOptions } from './server-authenticator.js';
export { renderKubeconfig, writeKubeconfig, type KubeconfigOptions } from './kubeconfig.js';
export { TtlCache } from './ttl-cache.js';
