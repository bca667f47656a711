// X.509 client certificate authentication, as kube-apiserver's
// --client-ca-file: a certificate the cluster CA signed for client use proves
// the user named by its subject (CN = username, O = groups). The TLS server
// asks for certificates without requiring one, so a request may carry a
// certificate, a bearer token, or both; a valid certificate wins, as in kube's
// authenticator union. Verdicts are kept per connection, since a keep-alive
// connection presents one certificate for all its requests.
import { X509Certificate } from 'node:crypto';
import { x509 } from './x509.js';
import type { Authenticator, TlsPeer } from './authenticator.js';
import { GROUP_AUTHENTICATED, type UserInfo } from './user-info.js';

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

export class ClientCertAuthenticator {
  private readonly ca: X509Certificate;

  constructor(
    caPem: string,
    private readonly clock: () => number = Date.now,
  ) {
    this.ca = new X509Certificate(caPem);
  }

  /** The user a certificate proves, or null when the cluster CA did not sign it for client use or it is not valid now. */
  authenticateCertificate(cert: X509Certificate): UserInfo | null {
    try {
      if (cert.ca || !cert.checkIssued(this.ca) || !cert.verify(this.ca.publicKey)) return null;
      const now = this.clock();
      if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) return null;
      if (!(cert.keyUsage ?? []).includes(CLIENT_AUTH)) return null;
      const subject = new x509.X509Certificate(cert.raw).subjectName;
      const username = subject.getField('CN')[0];
      if (!username) return null;
      const groups = [...subject.getField('O'), GROUP_AUTHENTICATED];
      return Object.freeze({ username, groups: Object.freeze(groups) as string[], extra: Object.freeze({}) as Record<string, string[]> });
    } catch {
      return null;
    }
  }
}

/** Client certificate first, then the bearer token authenticator. */
export class RequestAuthenticator implements Authenticator {
  private readonly byPeer = new WeakMap<object, { user: UserInfo | null; until: number }>();

  constructor(
    private readonly certs: ClientCertAuthenticator,
    private readonly tokens: Authenticator,
    private readonly clock: () => number = Date.now,
  ) {}

  async authenticate(authorization: string | undefined, peer?: TlsPeer): Promise<UserInfo | null> {
    const user = peer ? this.fromCertificate(peer) : null;
    return user ?? this.tokens.authenticate(authorization);
  }

  private fromCertificate(peer: TlsPeer): UserInfo | null {
    const now = this.clock();
    const known = this.byPeer.get(peer);
    if (known && now <= known.until) return known.user;
    const cert = peer.getPeerX509Certificate?.();
    if (!cert) {
      this.byPeer.set(peer, { user: null, until: Infinity });
      return null;
    }
    const user = this.certs.authenticateCertificate(cert);
    this.byPeer.set(peer, { user, until: user ? Date.parse(cert.validTo) : Infinity });
    return user;
  }
}
