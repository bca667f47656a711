// Turns CertificateSigningRequests into certificates: first the auto-approval
// verdict (csr-approver.ts), then, for approved requests to one of kube's
// signers, a certificate from the cluster CA, or a Failed condition saying why
// the request does not fit its signer. Level-based: a request with a verdict
// and a certificate (or Failed) is done.

import { conditionOf, specOf, statusOf, requestPem, type CsrCondition } from '../../api/certificates/index.js';
import { isConflict, isNotFound } from '../../api/errors.js';
import { nowIso, type KObject } from '../../api/object.js';
import { controllerFor, type Controller } from '../../client/controller.js';
import type { Logger } from '../../client/logger.js';
import type { Client } from '../../client/types.js';
import type { ClusterSigner } from '../../security/cluster-signer.js';
import { parseCsr, type ParsedCsr } from '../../security/csr.js';
import { SIGNER_KUBELET_SERVING } from '../../api/certificates/index.js';
import { autoApproval } from './csr-approver.js';
import { signerViolation } from './node-csr-policy.js';

export const CSRS = { group: 'certificates.k8s.io', version: 'v1', resource: 'certificatesigningrequests' };
const KUBE_SIGNERS = new Set(['kubernetes.io/kube-apiserver-client-kubelet', 'kubernetes.io/kubelet-serving', 'kubernetes.io/kube-apiserver-client']);
const DEFAULT_VALIDITY_SECONDS = 365 * 86_400;

export interface CsrControllerOptions {
  signer: ClusterSigner;
  log?: Logger;
}

export function csrController(client: Client, opts: CsrControllerOptions): Controller {
  const csrs = client.resource(CSRS);
  const approvals = client.resource(CSRS);
  return controllerFor(client, { name: 'csr-controller', log: opts.log, workers: 2 })
    .for(CSRS)
    .complete(async (name) => {
      const csr = await csrs.get(undefined, name);
      if (!csr || statusOf(csr).certificate || conditionOf(csr, 'Failed') || conditionOf(csr, 'Denied')) return;
      const spec = specOf(csr);
      let parsed: ParsedCsr;
      try {
        const pem = requestPem(spec);
        if (!pem) throw new Error('PEM block type must be CERTIFICATE REQUEST');
        parsed = await parseCsr(pem);
      } catch (e) {
        if (conditionOf(csr, 'Approved') && KUBE_SIGNERS.has(spec.signerName)) await fail(csrs, csr, `invalid request: ${(e as Error).message}`);
        return;
      }
      if (!conditionOf(csr, 'Approved')) {
        const verdict = autoApproval(spec, parsed);
        if (verdict) await write(() => approvals.update(undefined, withCondition(csr, { type: 'Approved', status: 'True', ...verdict }), { subresource: 'approval' }));
        return;
      }
      if (!KUBE_SIGNERS.has(spec.signerName)) return;
      const violation = signerViolation(spec.signerName, parsed, spec.usages ?? []);
      if (violation) return fail(csrs, csr, violation);
      const certPem = await opts.signer.sign(parsed, {
        profile: spec.signerName === SIGNER_KUBELET_SERVING ? 'serving' : 'client',
        validitySeconds: spec.expirationSeconds ?? DEFAULT_VALIDITY_SECONDS,
      });
      await write(() => csrs.updateStatus(undefined, { ...csr, status: { ...statusOf(csr), certificate: Buffer.from(certPem).toString('base64') } }));
      opts.log?.info({ csr: name, signer: spec.signerName, subject: parsed.commonName }, 'certificate issued');
    });
}

function withCondition(csr: KObject, c: CsrCondition): KObject {
  const now = nowIso();
  const conditions = [...(statusOf(csr).conditions ?? []).filter((x) => x.type !== c.type), { ...c, lastUpdateTime: now, lastTransitionTime: now }];
  return { ...csr, status: { ...statusOf(csr), conditions } };
}

function fail(csrs: ReturnType<Client['resource']>, csr: KObject, message: string): Promise<void> {
  return write(() => csrs.updateStatus(undefined, withCondition(csr, { type: 'Failed', status: 'True', reason: 'SignerValidationFailure', message })));
}

// A conflict means a newer version is on its way through the informer, which reconciles again.
async function write(op: () => Promise<unknown>): Promise<void> {
  try {
    await op();
  } catch (e) {
    if (!isConflict(e) && !isNotFound(e)) throw e;
  }
}
