// A node's X.509 identity, obtained as kubelet's TLS bootstrap does: the agent
// makes a key on this host, asks for a certificate with a
// CertificateSigningRequest (with the bootstrap credential for the client
// certificate, as the node itself for its serving certificate), waits for the
// signer, and keeps key and certificate under its root directory (0600) so a
// restart reuses them. The private key never leaves the host.

import { X509Certificate, createPrivateKey, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SIGNER_KUBELET_CLIENT, SIGNER_KUBELET_SERVING, conditionOf, statusOf } from '../api/certificates/index.js';
import type { KObject } from '../api/object.js';
import type { Client } from '../client/types.js';
import { GROUP_NODES, nodeUsername } from '../authz/node-identity.js';
import { createCsr } from '../security/csr.js';
import type { CertKeyPem } from '../security/keys.js';
import { readOptional, writeSecretFile } from '../security/secret-file.js';

const CSRS = { group: 'certificates.k8s.io', version: 'v1', resource: 'certificatesigningrequests' };

export type NodeCertKind = 'client' | 'serving';

export interface NodeCertOptions {
  /** Where `<node>/client.{crt,key}` and `<node>/serving.{crt,key}` are kept. */
  dir: string;
  /** The cluster CA: a stored certificate it did not sign is not reused. */
  caPem: string;
  /** Serving certificates: the names the API server dials (the node's IP). */
  hosts?: string[];
  /** How long to wait for approval and signing. Default 60 s. */
  timeoutMs?: number;
  now?: () => number;
}

/** The node's certificate of this kind: the stored one while it fits, else a new one through a CSR made with `client`. */
export async function nodeCertificate(client: Client, node: string, kind: NodeCertKind, opts: NodeCertOptions): Promise<CertKeyPem> {
  const paths = { cert: join(opts.dir, node, `${kind}.crt`), key: join(opts.dir, node, `${kind}.key`) };
  const [certPem, keyPem] = await Promise.all([readOptional(paths.cert), readOptional(paths.key)]);
  if (certPem && keyPem && fits({ certPem, keyPem }, node, opts)) return { certPem, keyPem };
  const fresh = await requestCertificate(client, node, kind, opts);
  await writeSecretFile(paths.key, fresh.keyPem);
  await writeSecretFile(paths.cert, fresh.certPem);
  return fresh;
}

/** Signed by the cluster CA, for this node and key, the hosts covered, and more than a fifth of its life left. */
function fits(pair: CertKeyPem, node: string, opts: NodeCertOptions): boolean {
  try {
    const cert = new X509Certificate(pair.certPem);
    const ca = new X509Certificate(opts.caPem);
    if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey) || !cert.checkPrivateKey(createPrivateKey(pair.keyPem))) return false;
    if (!cert.subject.split('\n').includes(`CN=${nodeUsername(node)}`)) return false;
    for (const h of opts.hosts ?? []) if (cert.checkIP(h) === undefined && cert.checkHost(h) === undefined) return false;
    const from = Date.parse(cert.validFrom);
    const to = Date.parse(cert.validTo);
    return to - (opts.now ?? Date.now)() > (to - from) / 5;
  } catch {
    return false;
  }
}

async function requestCertificate(client: Client, node: string, kind: NodeCertKind, opts: NodeCertOptions): Promise<CertKeyPem> {
  const { csrPem, keyPem } = await createCsr({ commonName: nodeUsername(node), organizations: [GROUP_NODES], hosts: kind === 'serving' ? opts.hosts : undefined });
  const name = `node-csr-${node}-${kind}-${randomBytes(4).toString('hex')}`;
  const csrs = client.resource(CSRS);
  await csrs.create(undefined, {
    apiVersion: 'certificates.k8s.io/v1',
    kind: 'CertificateSigningRequest',
    metadata: { name },
    spec: {
      request: Buffer.from(csrPem).toString('base64'),
      signerName: kind === 'client' ? SIGNER_KUBELET_CLIENT : SIGNER_KUBELET_SERVING,
      usages: ['digital signature', kind === 'client' ? 'client auth' : 'server auth'],
    },
  });
  const csr = await issued(client, name, opts.timeoutMs ?? 60_000);
  return { certPem: Buffer.from(statusOf(csr).certificate!, 'base64').toString('utf8'), keyPem };
}

/** Waits (watching the one object) until the CSR has a certificate; Denied, Failed or the timeout is an error. */
function issued(client: Client, name: string, timeoutMs: number): Promise<KObject> {
  const csrs = client.resource(CSRS);
  return new Promise((resolve, reject) => {
    let watch: { stop(): void } | undefined;
    let done = false;
    const finish = (err: Error | undefined, csr?: KObject) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      watch?.stop();
      if (err) reject(err);
      else resolve(csr!);
    };
    const check = (csr: KObject | undefined): boolean => {
      if (!csr) return false;
      const bad = conditionOf(csr, 'Denied') ?? conditionOf(csr, 'Failed');
      if (bad) finish(new Error(`certificate signing request ${name} was ${bad.type.toLowerCase()}: ${bad.message ?? bad.reason ?? ''}`));
      else if (statusOf(csr).certificate) finish(undefined, csr);
      return done;
    };
    const timer = setTimeout(
      () => finish(new Error(`certificate signing request ${name} was not issued within ${Math.round(timeoutMs / 1000)} s; approve it with: kubectl certificate approve ${name}`)),
      timeoutMs,
    );
    const open = async () => {
      const list = await csrs.list(undefined, { fieldSelector: `metadata.name=${name}` });
      if (check(list.items[0]) || done) return;
      watch = csrs.watch(undefined, { fieldSelector: `metadata.name=${name}`, resourceVersion: list.resourceVersion }, {
        onEvent: (_type, obj) => void check(obj),
        onClose: () => !done && setTimeout(() => !done && open().catch((e) => finish(e as Error)), 200),
      });
    };
    open().catch((e) => finish(e as Error));
  });
}
