// Who may approve and who may issue, per signer, as kube's CertificateApproval
// and CertificateSigning admission plugins: writing a verdict through
// certificatesigningrequests/approval needs `approve` on the `signers`
// resource (group certificates.k8s.io) named after the request's signerName,
// or after its domain as `<domain>/*`; writing status.certificate needs `sign`
// on the same. The right to update the subresource alone is not enough, so an
// editor of CSRs cannot mint client certificates. system:masters passes, as
// the authorizer chain lets it.

import { forbidden } from '../api/errors.js';
import type { UserInfo } from '../api/definition.js';
import { specOf, statusOf } from '../api/certificates/index.js';
import type { Authorizer } from '../authz/types.js';
import type { AdmissionPlugin } from '../registry/admission.js';

const CSR_GROUP = 'certificates.k8s.io';

/** kube's IsAuthorizedForSignerName: the exact signer name, then `<domain>/*`. */
export function authorizedForSigner(authorizer: Authorizer, user: UserInfo, verb: 'approve' | 'sign', signerName: string): boolean {
  const ask = (name: string) =>
    authorizer.authorize({ user, verb, resourceRequest: true, apiGroup: CSR_GROUP, apiVersion: '*', resource: 'signers', name }).decision === 'allow';
  return ask(signerName) || ask(`${signerName.split('/')[0]}/*`);
}

export function csrSignerAdmission(authorizer: Authorizer): AdmissionPlugin {
  const refuse = (name: string, what: string, signer: string) =>
    forbidden(`certificatesigningrequests.${CSR_GROUP} ${JSON.stringify(name)} is forbidden: user not permitted to ${what} requests with signerName ${JSON.stringify(signer)}`, {
      name,
      group: CSR_GROUP,
      kind: 'certificatesigningrequests',
    });
  return {
    name: 'CertificateApproval,CertificateSigning',
    handles: (def, op) => op === 'UPDATE' && def.group === CSR_GROUP && def.kind === 'CertificateSigningRequest',
    validate(a) {
      const signer = specOf(a.obj!).signerName ?? '';
      const { user, subresource } = a.ctx;
      if (subresource === 'approval') {
        if (!authorizedForSigner(authorizer, user, 'approve', signer)) throw refuse(a.name, 'approve', signer);
      } else if (subresource === 'status') {
        const issued = statusOf(a.obj!).certificate !== statusOf(a.old!).certificate;
        if (issued && !authorizedForSigner(authorizer, user, 'sign', signer)) throw refuse(a.name, 'sign', signer);
      }
    },
  };
}
