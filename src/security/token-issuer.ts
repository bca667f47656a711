// ServiceAccount tokens (what TokenRequest returns and pods mount), shaped like
// Kubernetes' so client libraries and tools that decode them find the claims
// where they expect: sub = system:serviceaccount:<ns>:<name> and a
// "kubernetes.io" claim naming the namespace, account and bound object.
import { randomUUID } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { JwtSigner, type JwtSignerOptions, type SignOptions } from './jwt-signer.js';
import { serviceAccountGroups, serviceAccountUsername, type UserInfo } from './user-info.js';

/** The object a token's validity is tied to (TokenRequest spec.boundObjectRef). */
export interface BoundObjectRef {
  kind: string;
  name: string;
  uid: string;
}

export interface ServiceAccountTokenRequest {
  namespace: string;
  serviceAccount: string;
  /** The ServiceAccount's metadata.uid. */
  uid: string;
  /** Defaults to the API server's own audiences. */
  audiences?: readonly string[];
  expirationSeconds: number;
  boundObject?: BoundObjectRef;
}

export interface IssuedToken {
  token: string;
  /** RFC 3339 in whole seconds, as TokenRequest status.expirationTimestamp. */
  expirationTimestamp: string;
}

export interface ServiceAccountUser extends UserInfo {
  namespace: string;
  serviceAccount: string;
  /** The object the token was bound to (TokenRequest boundObjectRef), whose deletion revokes it. */
  boundObject?: BoundObjectRef;
  /** Token expiry, milliseconds since the epoch; bounds how long a verdict may be cached. */
  expiresAt: number;
}

interface KubernetesClaim {
  namespace?: unknown;
  serviceaccount?: { name?: unknown; uid?: unknown };
  [bound: string]: unknown;
}

export interface TokenIssuerOptions extends JwtSignerOptions {
  /** Audiences the API server accepts; defaults to [issuer], as Kubernetes does. */
  apiAudiences?: readonly string[];
}

export class TokenIssuer {
  readonly apiAudiences: readonly string[];

  constructor(
    readonly signer: JwtSigner,
    opts: Pick<TokenIssuerOptions, 'apiAudiences'> = {},
  ) {
    this.apiAudiences = opts.apiAudiences ?? [signer.issuer];
  }

  /** An issuer signing with this PEM private key (P-256). */
  static async fromPem(privateKeyPem: string, opts: TokenIssuerOptions = {}): Promise<TokenIssuer> {
    return new TokenIssuer(await JwtSigner.fromPem(privateKeyPem, opts), opts);
  }

  /** An issuer whose key lives in <dataDir>/pki/sa.key. */
  static async loadOrCreate(dataDir: string, opts: TokenIssuerOptions = {}): Promise<TokenIssuer> {
    return new TokenIssuer(await JwtSigner.loadOrCreate(dataDir, opts), opts);
  }

  async issue(req: ServiceAccountTokenRequest): Promise<IssuedToken> {
    const k8s: Record<string, unknown> = {
      namespace: req.namespace,
      serviceaccount: { name: req.serviceAccount, uid: req.uid },
    };
    if (req.boundObject) k8s[req.boundObject.kind.toLowerCase()] = { name: req.boundObject.name, uid: req.boundObject.uid };
    const { token, exp } = await this.signer.sign(
      { sub: serviceAccountUsername(req.namespace, req.serviceAccount), jti: randomUUID(), 'kubernetes.io': k8s },
      { audience: req.audiences ?? this.apiAudiences, expiresIn: req.expirationSeconds },
    );
    return { token, expirationTimestamp: new Date(exp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') };
  }

  /** The ServiceAccount a token authenticates, or null when it is not a valid ServiceAccount token for this API server. */
  async verify(token: string): Promise<ServiceAccountUser | null> {
    const claims = await this.signer.verifyClaims(token, this.apiAudiences);
    return claims && serviceAccountFromClaims(claims);
  }

  signClaims(claims: JWTPayload, opts: SignOptions): Promise<string> {
    return this.signer.signClaims(claims, opts);
  }

  verifyClaims(token: string, audience: string | readonly string[]): Promise<JWTPayload | null> {
    return this.signer.verifyClaims(token, audience);
  }
}

function serviceAccountFromClaims(claims: JWTPayload): ServiceAccountUser | null {
  const k8s = claims['kubernetes.io'] as KubernetesClaim | undefined;
  const namespace = k8s?.namespace;
  const name = k8s?.serviceaccount?.name;
  const uid = k8s?.serviceaccount?.uid;
  if (typeof namespace !== 'string' || typeof name !== 'string' || typeof claims.exp !== 'number') return null;
  const username = serviceAccountUsername(namespace, name);
  // A token for other purposes signed by the same key never has this subject.
  if (claims.sub !== username) return null;
  const extra: Record<string, string[]> = {};
  let boundObject: BoundObjectRef | undefined;
  for (const kind of ['Pod', 'Secret'] as const) {
    const ref = k8s?.[kind.toLowerCase()] as { name?: unknown; uid?: unknown } | undefined;
    if (typeof ref?.name === 'string' && typeof ref.uid === 'string') boundObject = { kind, name: ref.name, uid: ref.uid };
  }
  if (typeof claims.jti === 'string') extra['authentication.kubernetes.io/credential-id'] = [`JTI=${claims.jti}`];
  for (const kind of ['pod', 'node']) {
    const ref = k8s?.[kind] as { name?: unknown; uid?: unknown } | undefined;
    if (typeof ref?.name === 'string') extra[`authentication.kubernetes.io/${kind}-name`] = [ref.name];
    if (typeof ref?.uid === 'string') extra[`authentication.kubernetes.io/${kind}-uid`] = [ref.uid];
  }
  return {
    username,
    ...(typeof uid === 'string' ? { uid } : {}),
    groups: serviceAccountGroups(namespace),
    extra,
    namespace,
    serviceAccount: name,
    ...(boundObject ? { boundObject } : {}),
    expiresAt: claims.exp * 1000,
  };
}
