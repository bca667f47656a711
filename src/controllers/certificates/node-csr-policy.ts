// What node certificates look like, shared by the auto-approver and the
// signer: kube's rules for the kubelet signers. A kubelet client certificate
// names `system:node:<name>` in group `system:nodes` and is for client auth
// only; a kubelet serving certificate has the same subject, is for server auth
// only and names the node's DNS names and IPs, nothing else.

import { SIGNER_APISERVER_CLIENT, SIGNER_KUBELET_CLIENT, SIGNER_KUBELET_SERVING } from '../../api/certificates/index.js';
import type { ParsedCsr } from '../../security/csr.js';

import { GROUP_NODES, NODE_USER_PREFIX } from '../../authz/node-identity.js';

export { GROUP_NODES, NODE_USER_PREFIX };

const CLIENT_USAGES = new Set(['digital signature', 'key encipherment', 'client auth']);
const SERVING_USAGES = new Set(['digital signature', 'key encipherment', 'server auth']);

/** Why a request does not fit its signer, or undefined when it does. */
export function signerViolation(signerName: string, csr: ParsedCsr, usages: readonly string[]): string | undefined {
  switch (signerName) {
    case SIGNER_KUBELET_CLIENT:
      return nodeSubject(csr) ?? usageViolation(usages, CLIENT_USAGES, 'client auth') ?? (hasNames(csr) ? 'subject alternative names are not allowed' : undefined);
    case SIGNER_KUBELET_SERVING:
      if (csr.otherNames.length) return `only DNS and IP subject alternative names are allowed, not ${csr.otherNames.join(', ')}`;
      if (!csr.dnsNames.length && !csr.ipAddresses.length) return 'at least one DNS or IP subject alternative name is required';
      return nodeSubject(csr) ?? usageViolation(usages, SERVING_USAGES, 'server auth');
    case SIGNER_APISERVER_CLIENT:
      if (usages.includes('server auth')) return 'usages may not include "server auth"';
      return usages.includes('client auth') ? undefined : 'usages must include "client auth"';
    default:
      return `unknown signer ${signerName}`;
  }
}

/** The node a kubelet CSR is for (from its CN), if its subject is a node's. */
export function nodeOfCsr(csr: ParsedCsr): string | undefined {
  return nodeSubject(csr) === undefined ? csr.commonName.slice(NODE_USER_PREFIX.length) : undefined;
}

function nodeSubject(csr: ParsedCsr): string | undefined {
  if (!csr.commonName.startsWith(NODE_USER_PREFIX) || csr.commonName.length === NODE_USER_PREFIX.length) return `subject CN must be "${NODE_USER_PREFIX}<node name>"`;
  if (csr.organizations.length !== 1 || csr.organizations[0] !== GROUP_NODES) return `subject O must be exactly "${GROUP_NODES}"`;
  return undefined;
}

function usageViolation(usages: readonly string[], allowed: Set<string>, required: string): string | undefined {
  const extra = usages.filter((u) => !allowed.has(u));
  if (extra.length) return `usages ${extra.map((u) => JSON.stringify(u)).join(', ')} are not allowed`;
  return usages.includes(required) ? undefined : `usages must include "${required}"`;
}

const hasNames = (csr: ParsedCsr) => csr.dnsNames.length + csr.ipAddresses.length + csr.otherNames.length > 0;
