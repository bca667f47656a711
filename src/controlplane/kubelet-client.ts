// The API server's credential towards node agents (their log endpoints): a
// client certificate from the cluster CA with CN
// workplane:apiserver-kubelet-client and no groups. It is made in memory,
// lives one hour and is replaced before it runs out; the Node authorizer
// refuses it on the API, so it is worth nothing but reading node logs.

import { X509Certificate } from 'node:crypto';
import { APISERVER_KUBELET_CLIENT } from '../agent/log-server/log-server.js';
import type { ClusterSigner } from '../security/cluster-signer.js';
import type { CertKeyPem } from '../security/keys.js';

export function kubeletClientCertificate(signer: ClusterSigner, validitySeconds = 3600, clock: () => number = Date.now): () => Promise<CertKeyPem> {
  let current: Promise<{ pair: CertKeyPem; renewAt: number }> | undefined;
  const issue = async () => {
    const pair = await signer.issueClientCert(APISERVER_KUBELET_CLIENT, [], validitySeconds, new Date(clock()));
    const cert = new X509Certificate(pair.certPem);
    const to = Date.parse(cert.validTo);
    return { pair, renewAt: to - (to - clock()) / 3 };
  };
  return async () => {
    const c = current && (await current.catch(() => undefined));
    if (!c || clock() >= c.renewAt) current = issue();
    return (await current!).pair;
  };
}
