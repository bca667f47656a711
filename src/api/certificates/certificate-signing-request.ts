// CertificateSigningRequest (certificates.k8s.io/v1): how a node agent gets
// its X.509 identity without its private key ever leaving the host. The
// requester is recorded from the authenticated user on create (never from the
// body), the request is approved through the `approval` subresource (or by the
// auto-approver for node bootstrap, as kube's csrapproving controller) and a
// signer writes status.certificate. Spec is immutable.

import { Type } from '@sinclair/typebox';
import type { OperationContext } from '../definition.js';
import { defineResource, type ResourceDefinition } from '../definition.js';
import { fieldError, type FieldError } from '../errors.js';
import { deepEqual, type KObject } from '../object.js';
import { int32, listOf, mapOf, opt, str, stringList, strEnum, time } from '../schemas/index.js';
import { ageColumn, nameColumn } from '../core/columns.js';

export const SIGNER_KUBELET_CLIENT = 'kubernetes.io/kube-apiserver-client-kubelet';
export const SIGNER_KUBELET_SERVING = 'kubernetes.io/kubelet-serving';
export const SIGNER_APISERVER_CLIENT = 'kubernetes.io/kube-apiserver-client';

// kube's KeyUsage values.
const USAGES = [
  'signing', 'digital signature', 'content commitment', 'key encipherment', 'key agreement', 'data encipherment',
  'cert sign', 'crl sign', 'encipher only', 'decipher only', 'any', 'server auth', 'client auth', 'code signing',
  'email protection', 's/mime', 'ipsec end system', 'ipsec tunnel', 'ipsec user', 'timestamping', 'ocsp signing',
  'microsoft sgc', 'netscape sgc',
];

const CsrConditionSchema = Type.Object(
  {
    type: str('Approved, Denied or Failed.'),
    status: strEnum('True, False or Unknown.', ['True', 'False', 'Unknown']),
    reason: opt(str('Machine-readable reason.')),
    message: opt(str('Human-readable details.')),
    lastUpdateTime: opt(time('When the condition was last updated.')),
    lastTransitionTime: opt(time('When the condition last changed status.')),
  },
  { description: 'One verdict on the request.', required: ['type', 'status'] },
);

export type CsrCondition = { type: string; status: string; reason?: string; message?: string; lastUpdateTime?: string; lastTransitionTime?: string };

export interface CsrSpec {
  request: string;
  signerName: string;
  expirationSeconds?: number;
  usages?: string[];
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export interface CsrStatus {
  conditions?: CsrCondition[];
  certificate?: string;
}

export const specOf = (csr: KObject) => (csr.spec ?? {}) as CsrSpec;
export const statusOf = (csr: KObject) => (csr.status ?? {}) as CsrStatus;
export const conditionOf = (csr: KObject, type: string) => statusOf(csr).conditions?.find((c) => c.type === type && c.status === 'True');

/** The PEM the spec's base64 `request` holds, or undefined when it is not base64 of a CERTIFICATE REQUEST block. */
export function requestPem(spec: CsrSpec): string | undefined {
  if (typeof spec.request !== 'string' || spec.request === '') return undefined;
  const pem = Buffer.from(spec.request, 'base64').toString('utf8');
  return /-----BEGIN CERTIFICATE REQUEST-----[\s\S]+-----END CERTIFICATE REQUEST-----/.test(pem) ? pem : undefined;
}

function validateCsr(csr: KObject): FieldError[] {
  const spec = specOf(csr);
  const errs: FieldError[] = [];
  if (!spec.request) errs.push(fieldError.required('spec.request'));
  else if (!requestPem(spec)) errs.push(fieldError.invalid('spec.request', '<omitted>', 'PEM block type must be CERTIFICATE REQUEST'));
  if (!spec.signerName) errs.push(fieldError.required('spec.signerName'));
  else if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(spec.signerName)) {
    errs.push(fieldError.invalid('spec.signerName', spec.signerName, 'must be a fully qualified domain and path of the form \'example.com/signer-name\''));
  }
  if (spec.expirationSeconds !== undefined && spec.expirationSeconds < 600) {
    errs.push(fieldError.invalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration less than 600 seconds (10 minutes)'));
  }
  if (!spec.usages?.length) errs.push(fieldError.required('spec.usages'));
  for (const [i, u] of (spec.usages ?? []).entries()) if (!USAGES.includes(u)) errs.push(fieldError.notSupported(`spec.usages[${i}]`, u, USAGES));
  return errs;
}

const VERDICTS = ['Approved', 'Denied'];
const verdicts = (csr: KObject) => (statusOf(csr).conditions ?? []).filter((c) => VERDICTS.includes(c.type));

function validateCsrUpdate(csr: KObject, old: KObject, ctx: OperationContext): FieldError[] {
  const errs: FieldError[] = [];
  if (!deepEqual(csr.spec, old.spec)) errs.push(fieldError.forbidden('spec', 'field is immutable'));
  if (ctx.subresource === 'status' && !deepEqual(verdicts(csr), verdicts(old))) {
    errs.push(fieldError.forbidden('status.conditions', 'Approved and Denied conditions may only be set through the approval subresource'));
  }
  const before = statusOf(old).certificate;
  if (before && statusOf(csr).certificate !== before) errs.push(fieldError.forbidden('status.certificate', 'updates may not modify existing certificate content'));
  return errs;
}

export const certificateSigningRequestDefinition: ResourceDefinition = defineResource({
  group: 'certificates.k8s.io',
  version: 'v1',
  kind: 'CertificateSigningRequest',
  plural: 'certificatesigningrequests',
  singular: 'certificatesigningrequest',
  shortNames: ['csr'],
  namespaced: false,
  description: 'A request for an X.509 certificate from a named signer; approved through the approval subresource, issued into status.certificate.',
  schema: Type.Object(
    {
      spec: opt(
        Type.Object(
          {
            request: str('Base64 of a PEM CERTIFICATE REQUEST block.', { format: 'byte' }),
            signerName: str('The signer asked to sign (kubernetes.io/kube-apiserver-client-kubelet, kubernetes.io/kubelet-serving, kubernetes.io/kube-apiserver-client).'),
            expirationSeconds: opt(int32('Requested lifetime of the certificate; the signer may issue a shorter one.')),
            usages: opt(stringList('Key usages requested (`digital signature`, `client auth`, `server auth`...).')),
            username: opt(str('Requesting user; set by the server.')),
            uid: opt(str('Requesting user uid; set by the server.')),
            groups: opt(stringList('Requesting user groups; set by the server.')),
            extra: opt(mapOf('Requesting user extra attributes; set by the server.', Type.Array(Type.String()))),
          },
          { description: 'The request.', required: ['request', 'signerName'] },
        ),
      ),
      status: opt(
        Type.Object(
          {
            conditions: opt(listOf('Approved, Denied and Failed verdicts.', CsrConditionSchema, { mapKeys: ['type'], patchStrategy: 'merge' })),
            certificate: opt(str('Base64 of the issued PEM certificate.', { format: 'byte' })),
          },
          { description: 'Verdicts and the issued certificate.' },
        ),
      ),
    },
    { description: 'A certificate signing request.' },
  ),
  subresources: { status: true },
  extraSubresources: ['approval'],
  strategicMerge: true,
  columns: [
    nameColumn,
    ageColumn,
    { name: 'SignerName', type: 'string', description: 'Signer asked to sign.', jsonPath: '.spec.signerName' },
    { name: 'Requestor', type: 'string', description: 'Who asked.', jsonPath: '.spec.username' },
    {
      name: 'Condition',
      type: 'string',
      description: 'Approved, Denied, Issued...',
      value: (o) => {
        const cs = (statusOf(o).conditions ?? []).map((c) => c.type);
        if (statusOf(o).certificate) cs.push('Issued');
        return cs.length ? cs.join(',') : 'Pending';
      },
    },
  ],
  strategy: {
    prepareForCreate(obj, ctx) {
      const spec = specOf(obj);
      const user = ctx.user;
      spec.username = user.username;
      if (user.uid) spec.uid = user.uid;
      else delete spec.uid;
      spec.groups = [...user.groups];
      if (user.extra && Object.keys(user.extra).length) spec.extra = structuredClone(user.extra);
      else delete spec.extra;
      obj.spec = spec;
      delete obj.status;
    },
    validate: validateCsr,
    validateUpdate: validateCsrUpdate,
  },
});
