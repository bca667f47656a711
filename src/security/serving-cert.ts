// The API server's TLS certificate, signed by the cluster CA. Its subject
// alternative names decide which URLs clients may use without a hostname
// error, so pki.ts reissues it whenever the listen hosts change.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { isIP } from 'node:net';
import { x509 } from './x509.js';
import { BACKDATE_MS } from './ca.js';
import { EC_P256, generateEcKeyPair, importSigningKey, privateKeyToPem, randomSerialNumber, type CertKeyPem } from './keys.js';

/** Names every serving certificate carries, whatever the listen address. */
export const DEFAULT_SERVING_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '::1'];
const SERVING_VALIDITY_DAYS = 365;
/** The control plane's serving certificate CN: what DP clients require of the DP server. */
export const CONTROL_PLANE_SERVING_CN = 'workplane-apiserver';
const DAY_MS = 86_400_000;

export interface ServingNames {
  dns: string[];
  ips: string[];
}

/**
 * Splits hosts into DNS names and IP addresses, adding the defaults. Accepts
 * the forms a listen address or URL host takes: `[::1]`, `fe80::1%eth0`,
 * upper case names.
 */
export function servingNames(hosts: readonly string[]): ServingNames {
  const dns = new Set<string>();
  const ips = new Set<string>();
  for (const raw of [...DEFAULT_SERVING_HOSTS, ...hosts]) {
    let host = raw.trim();
    if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
    const zone = host.indexOf('%');
    if (zone >= 0 && isIP(host.slice(0, zone)) === 6) host = host.slice(0, zone);
    if (host === '') continue;
    if (isIP(host) === 0) dns.add(host.toLowerCase().replace(/\.$/, ''));
    else ips.add(host.includes(':') ? expandEmbeddedIpv4(host) : host);
  }
  return { dns: [...dns], ips: [...ips] };
}

// x509's encoder only reads hex groups, so `::ffff:10.0.0.1` becomes `::ffff:a00:1`.
function expandEmbeddedIpv4(ip: string): string {
  const m = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (!m) return ip;
  const [a, b, c, d] = m.slice(2).map(Number) as [number, number, number, number];
  return `${m[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

export interface IssueServingCertOptions {
  now?: Date;
  validityDays?: number;
  commonName?: string;
}

export async function issueServingCert(
  ca: CertKeyPem,
  hosts: readonly string[],
  opts: IssueServingCertOptions = {},
): Promise<CertKeyPem> {
  const now = opts.now ?? new Date();
  const caCert = new x509.X509Certificate(ca.certPem);
  const keys = await generateEcKeyPair();
  const names = servingNames(hosts);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject: `CN=${opts.commonName ?? CONTROL_PLANE_SERVING_CN}`,
    issuer: caCert.subject,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + (opts.validityDays ?? SERVING_VALIDITY_DAYS) * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: await importSigningKey(ca.keyPem),
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...names.dns.map((value) => ({ type: 'dns' as const, value })),
        ...names.ips.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await privateKeyToPem(keys.privateKey) };
}

/**
 * Whether a stored serving certificate can keep serving: it was signed by this
 * CA, matches its key, covers every requested host, and does not expire
 * within `minRemainingMs`.
 */
export function servingCertFits(
  serving: CertKeyPem,
  caPem: string,
  hosts: readonly string[],
  now: Date,
  minRemainingMs: number,
): boolean {
  try {
    const cert = new X509Certificate(serving.certPem);
    const ca = new X509Certificate(caPem);
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
    if (!cert.checkPrivateKey(createPrivateKey(serving.keyPem))) return false;
    if (Date.parse(cert.validTo) - now.getTime() < minRemainingMs) return false;
    const names = servingNames(hosts);
    return names.dns.every((h) => cert.checkHost(h, { wildcards: false }) !== undefined) && names.ips.every((ip) => cert.checkIP(ip) !== undefined);
  } catch {
    return false;
  }
}
