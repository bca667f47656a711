// The proxy's end of identity, for `workplane dp run --identity-dir` and the
// node agent: generate a key pair (the type the control plane asks for,
// ECDSA P-256 until told otherwise), send a CSR for it after every accepted
// hello, and write the certificate, key and bundle the control plane sends
// back. The private key never leaves this process except into key.pem.

import { X509Certificate } from 'node:crypto';
import { silentLogger, type Logger } from '../client/logger.js';
import type { ControlPlaneMessage, ProxyMessage } from '../dp/protocol/messages.js';
import { x509 } from '../security/x509.js';
import { writeIdentityFiles } from './identity-files.js';
import type { IdentityControlMessage } from './messages.js';
import { asKeyType, exportPrivateKeyPem, generateKeyPair, signingAlgorithmOf } from './webcrypto-keys.js';

export const DEFAULT_PROXY_KEY_TYPE = 'ecdsa-p256';

export type SendToControlPlane = (msg: ProxyMessage) => boolean;

export interface ProxyIdentityOptions {
  /** Directory of cert.pem, key.pem and bundle.pem. */
  dir: string;
  /** Key type before the control plane names one (default ecdsa-p256). */
  keyType?: string;
  log?: Logger;
  /** After the files were written. */
  onIdentity?(identity: { spiffeId: string; expirationTime: string; dir: string }): void;
}

interface ProxyKey {
  keyType: string;
  keyPem: string;
  csrPem: string;
  /** SubjectPublicKeyInfo, base64: matches an issued certificate to its key. */
  spki: string;
}

const spkiOf = (cert: X509Certificate) => (cert.publicKey.export({ type: 'spki', format: 'der' }) as Buffer).toString('base64');

export class ProxyIdentity {
  private key?: ProxyKey;
  private writtenKey?: string;
  private chain: Promise<void> = Promise.resolve();
  private readonly log: Logger;
  /** The identity last written. */
  current?: { spiffeId: string; expirationTime: string };

  constructor(private readonly opts: ProxyIdentityOptions) {
    this.log = opts.log ?? silentLogger;
  }

  /** After every accepted hello: ask for a certificate for the current key. */
  onConnected(send: SendToControlPlane): Promise<void> {
    return this.serial(async () => {
      const key = await this.currentKey(this.opts.keyType ?? DEFAULT_PROXY_KEY_TYPE);
      send({ csr: { csrPem: key.csrPem } });
    });
  }

  /** Messages from the control plane: identities are written; a certificate request gets a CSR. */
  onMessage(msg: IdentityControlMessage, send: SendToControlPlane): Promise<void> {
    if ('identity' in msg) return this.serial(() => this.write(msg.identity));
    if ('certificateRequest' in msg) {
      const { keyType, reason } = msg.certificateRequest;
      return this.serial(async () => {
        this.log.info({ keyType, reason }, 'control plane asks for a new certificate request');
        const key = await this.currentKey(keyType, true);
        send({ csr: { csrPem: key.csrPem } });
      });
    }
    if ('error' in msg) this.log.warn({ error: msg.error.message }, 'control plane reported an error');
    return Promise.resolve();
  }

  /** Resolves once every message handled so far is done (files written). */
  idle(): Promise<void> {
    return this.chain;
  }

  private serial(step: () => Promise<void>): Promise<void> {
    const next = this.chain.then(step).catch((e) => this.log.error({ err: e }, 'identity: step failed'));
    this.chain = next;
    return next;
  }

  // Steps run one at a time, so the key is never replaced while another step uses it.
  private async currentKey(keyType: string, fresh = false): Promise<ProxyKey> {
    if (!this.key || this.key.keyType !== keyType || fresh) this.key = await newKey(keyType);
    return this.key;
  }

  private async write(identity: { certPem: string; bundlePem: string; spiffeId: string; expirationTime: string }): Promise<void> {
    const key = this.key;
    const spki = spkiOf(new X509Certificate(identity.certPem));
    if (!key || key.spki !== spki) {
      this.log.warn({ spiffeId: identity.spiffeId }, 'identity: certificate is not for the current key; ignored');
      return;
    }
    await writeIdentityFiles(this.opts.dir, {
      certPem: identity.certPem,
      bundlePem: identity.bundlePem,
      ...(this.writtenKey !== spki ? { keyPem: key.keyPem } : {}),
    });
    this.writtenKey = spki;
    this.current = { spiffeId: identity.spiffeId, expirationTime: identity.expirationTime };
    this.log.info({ spiffeId: identity.spiffeId, expires: identity.expirationTime }, 'identity written');
    this.opts.onIdentity?.({ ...this.current, dir: this.opts.dir });
  }
}

/** A new key pair of `keyType` and a CSR for it (names are left out: the control plane decides them). */
export async function newKey(keyType: string): Promise<ProxyKey> {
  const t = asKeyType(keyType);
  const keys = await generateKeyPair(t);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ keys, signingAlgorithm: signingAlgorithmOf(t) });
  const spki = Buffer.from(await crypto.subtle.exportKey('spki', keys.publicKey)).toString('base64');
  return { keyType, keyPem: await exportPrivateKeyPem(keys.privateKey), csrPem: csr.toString('pem'), spki };
}

/**
 * Glue for a DP session (openDpSession): pass `onMessage` and
 * `onStateChange` in its options, then `attach(handle)` once it resolves.
 * A CSR goes out on attach and after every reconnect.
 */
export function identitySessionHooks(proxy: ProxyIdentity) {
  let handle: { send(msg: ProxyMessage): boolean } | undefined;
  const send: SendToControlPlane = (m) => handle?.send(m) ?? false;
  return {
    onMessage: (m: ControlPlaneMessage) => void proxy.onMessage(m as IdentityControlMessage, send),
    onStateChange: (state: 'connected' | 'disconnected' | 'closed') => {
      if (state === 'connected' && handle) void proxy.onConnected(send);
    },
    attach(h: { send(msg: ProxyMessage): boolean }): void {
      handle = h;
      void proxy.onConnected(send);
    },
  };
}
