// Signs and verifies JWTs with the server's ES256 key (<dataDir>/pki/sa.key).
// Generic over claims so ServiceAccount tokens and later token kinds (data
// plane tokens) share one key and one verification path; the audience keeps
// the kinds apart.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type webcrypto } from 'node:crypto';
import { join } from 'node:path';
import { SignJWT, calculateJwkThumbprint, exportJWK, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { EC_P256, importSigningKey } from './keys.js';
import { readOptional, writeSecretFile } from './secret-file.js';

export const DEFAULT_ISSUER = 'https://workplane.local';
const ALG = 'ES256';

export interface JwtSignerOptions {
  /** The `iss` claim written and required. */
  issuer?: string;
  /** Milliseconds since the epoch; tests move it to expire tokens. */
  clock?: () => number;
}

export interface SignOptions {
  audience: string | readonly string[];
  /** Lifetime in seconds from now. */
  expiresIn: number;
}

/** Where file-kept signing keys live: <dataDir>/pki/sa.key. */
export const signingKeyPath = (dataDir: string): string => join(dataDir, 'pki', 'sa.key');

/** A new P-256 signing key, PKCS#8 PEM. */
export function generateSigningKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
}

export class JwtSigner {
  readonly issuer: string;
  readonly clock: () => number;

  private constructor(
    private readonly privateKey: webcrypto.CryptoKey,
    private readonly publicKey: webcrypto.CryptoKey,
    /** Thumbprint of the public key, so verifiers can tell keys apart after a rotation. */
    readonly keyId: string,
    opts: JwtSignerOptions,
  ) {
    this.issuer = opts.issuer ?? DEFAULT_ISSUER;
    this.clock = opts.clock ?? Date.now;
  }

  static async fromPem(privateKeyPem: string, opts: JwtSignerOptions = {}): Promise<JwtSigner> {
    const spki = createPublicKey(createPrivateKey(privateKeyPem)).export({ format: 'der', type: 'spki' });
    const publicKey = await crypto.subtle.importKey('spki', spki, EC_P256, true, ['verify']);
    const keyId = await calculateJwkThumbprint(await exportJWK(publicKey));
    return new JwtSigner(await importSigningKey(privateKeyPem), publicKey, keyId, opts);
  }

  /** Uses <dataDir>/pki/sa.key, creating it (0600) on first start. */
  static async loadOrCreate(dataDir: string, opts: JwtSignerOptions = {}): Promise<JwtSigner> {
    const path = signingKeyPath(dataDir);
    let pem = await readOptional(path);
    if (pem === undefined) {
      pem = generateSigningKeyPem();
      await writeSecretFile(path, pem);
    }
    return JwtSigner.fromPem(pem, opts);
  }

  /** The public key as a JWK, for a future JWKS / OIDC discovery endpoint. */
  async publicJwk(): Promise<JWK> {
    return { ...(await exportJWK(this.publicKey)), kid: this.keyId, alg: ALG, use: 'sig' };
  }

  /** Seconds since the epoch, the unit of JWT time claims. */
  nowSeconds(): number {
    return Math.floor(this.clock() / 1000);
  }

  /** Signs `claims` adding iss, aud, iat, nbf and exp (which override same-named claims). */
  async signClaims(claims: JWTPayload, opts: SignOptions): Promise<string> {
    return (await this.sign(claims, opts)).token;
  }

  /** signClaims that also returns the `exp` it wrote (seconds since the epoch). */
  async sign(claims: JWTPayload, opts: SignOptions): Promise<{ token: string; exp: number }> {
    if (!Number.isInteger(opts.expiresIn) || opts.expiresIn <= 0) {
      throw new RangeError(`expiresIn must be a positive whole number of seconds, got ${opts.expiresIn}`);
    }
    const now = this.nowSeconds();
    const exp = now + opts.expiresIn;
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: ALG, kid: this.keyId, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(typeof opts.audience === 'string' ? opts.audience : [...opts.audience])
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(exp)
      .sign(this.privateKey);
    return { token, exp };
  }

  /**
   * The token's claims if it carries our signature and issuer, is within its
   * validity window and names one of `audience`; otherwise null.
   */
  async verifyClaims(token: string, audience: string | readonly string[]): Promise<JWTPayload | null> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, {
        algorithms: [ALG],
        issuer: this.issuer,
        audience: typeof audience === 'string' ? audience : [...audience],
        currentDate: new Date(this.clock()),
        requiredClaims: ['exp'],
      });
      return payload;
    } catch {
      return null;
    }
  }
}
