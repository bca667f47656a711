// Auto-approval of node certificate requests, as kube's csrapproving
// controller: a kubelet client certificate is approved for a bootstrap
// credential (group system:bootstrappers, or a cluster admin in
// system:masters, which is how `workplane agent --kubeconfig <admin>` joins)
// or for the node renewing its own; a kubelet serving certificate is approved
// when the node itself asks for its own name. Anything else waits for
// `kubectl certificate approve`. Without RBAC there is no SubjectAccessReview
// to ask, so the groups stand for kube's nodeclient / selfnodeclient rights.

import type { CsrSpec } from '../../api/certificates/index.js';
import { SIGNER_KUBELET_CLIENT, SIGNER_KUBELET_SERVING } from '../../api/certificates/index.js';
import type { ParsedCsr } from '../../security/csr.js';
import { GROUP_NODES, NODE_USER_PREFIX, nodeOfCsr, signerViolation } from './node-csr-policy.js';
import { GROUP_BOOTSTRAPPERS } from '../../authz/node-identity.js';

export { GROUP_BOOTSTRAPPERS };
const GROUP_MASTERS = 'system:masters';

export interface ApprovalVerdict {
  reason: string;
  message: string;
}

/** The approval to record, or undefined when the request is left to a person. */
export function autoApproval(spec: CsrSpec, csr: ParsedCsr): ApprovalVerdict | undefined {
  const usages = spec.usages ?? [];
  if (signerViolation(spec.signerName, csr, usages) !== undefined) return undefined;
  const node = nodeOfCsr(csr);
  if (node === undefined) return undefined;
  const groups = spec.groups ?? [];
  const self = spec.username === `${NODE_USER_PREFIX}${node}` && groups.includes(GROUP_NODES);
  if (spec.signerName === SIGNER_KUBELET_CLIENT) {
    if (self) return { reason: 'AutoApproved', message: 'Auto approving self kubelet client certificate after SubjectAccessReview.' };
    const bootstrap = groups.some((g) => g === GROUP_BOOTSTRAPPERS || g.startsWith(`${GROUP_BOOTSTRAPPERS}:`) || g === GROUP_MASTERS);
    if (bootstrap) return { reason: 'AutoApproved', message: 'Auto approving kubelet client certificate after SubjectAccessReview.' };
    return undefined;
  }
  if (spec.signerName === SIGNER_KUBELET_SERVING && self) {
    return { reason: 'AutoApproved', message: 'Auto approving kubelet serving certificate requested by the node itself.' };
  }
  return undefined;
}
