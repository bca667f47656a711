// Signs certificates with the cluster CA: node client certificates (a node
// proves it is system:node:<name>), node serving certificates (the API server
// proves it reached the right node), and the API server's own client
// certificate for node log endpoints. The subject is copied from the request;
// what a certificate may be used for comes only from the profile, never from
// the request, so a client certificate can never serve TLS and vice versa.
import { X509Certificate } from 'node:crypto';
import type { webcrypto } from 'node:crypto';
import { x509 } from './x509.js';
import { BACKDATE_MS } from './ca.js';
import { parseCsr, type ParsedCsr } from './csr.js';
import { EC_P256, generateEcKeyPair, importSigningKey, privateKeyToPem, randomSerialNumber, type CertKeyPem } from './keys.js';

export type CertificateProfile = 'client' | 'serving';

export interface SignOptions {
  profile: CertificateProfile;
  /** Lifetime; the signer caps it (default cap one year). */
  validitySeconds: number;
  now?: Date;
}

const YEAR_SECONDS = 365 * 86_400;

export class ClusterSigner {
  private readonly ca: x509.X509Certificate;
  private key?: Promise<webcrypto.CryptoKey>;

  constructor(
    readonly caPem: string,
    private readonly caKeyPem: string,
    private readonly maxValiditySeconds = YEAR_SECONDS,
  ) {
    this.ca = new x509.X509Certificate(caPem);
  }

  /** Signs a PEM CSR (or one already parsed); returns the certificate PEM. */
  async sign(csr: string | ParsedCsr, opts: SignOptions): Promise<string> {
    const parsed = typeof csr === 'string' ? await parseCsr(csr) : csr;
    return this.issue(parsed.publicKey, parsed, opts);
  }

  /** A fresh key and a client certificate for it (the API server's own identity towards nodes). */
  async issueClientCert(commonName: string, organizations: string[], validitySeconds: number, now?: Date): Promise<CertKeyPem> {
    const keys = await generateEcKeyPair();
    const certPem = await this.issue(keys.publicKey, { commonName, organizations, dnsNames: [], ipAddresses: [] }, { profile: 'client', validitySeconds, now });
    return { certPem, keyPem: await privateKeyToPem(keys.privateKey) };
  }

  private async issue(
    publicKey: x509.PublicKey | webcrypto.CryptoKey,
    subject: Pick<ParsedCsr, 'commonName' | 'organizations' | 'dnsNames' | 'ipAddresses'>,
    opts: SignOptions,
  ): Promise<string> {
    const now = opts.now ?? new Date();
    const seconds = Math.min(opts.validitySeconds, this.maxValiditySeconds);
    const caNotAfter = Date.parse(new X509Certificate(this.caPem).validTo);
    const notAfter = new Date(Math.min(now.getTime() + seconds * 1000, caNotAfter));
    const name = new x509.Name([
      ...subject.organizations.map((o) => ({ O: [o] })),
      ...(subject.commonName ? [{ CN: [subject.commonName] }] : []),
    ]);
    const serving = opts.profile === 'serving';
    const names = [...subject.dnsNames.map((value) => ({ type: 'dns' as const, value })), ...subject.ipAddresses.map((value) => ({ type: 'ip' as const, value }))];
    const extensions: x509.Extension[] = [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([serving ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
      await x509.AuthorityKeyIdentifierExtension.create(this.ca.publicKey),
    ];
    if (serving && names.length) extensions.push(new x509.SubjectAlternativeNameExtension(names));
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: randomSerialNumber(),
      subject: name,
      issuer: this.ca.subjectName,
      notBefore: new Date(now.getTime() - BACKDATE_MS),
      notAfter,
      publicKey,
      signingKey: await (this.key ??= importSigningKey(this.caKeyPem)),
      signingAlgorithm: EC_P256,
      extensions,
    });
    return cert.toString('pem') + '\n';
  }
}
