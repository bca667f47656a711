// MeshTrust (kuma.io/v1alpha1): the CA bundles dataplanes trust for one trust
// domain. The control plane keeps one per MeshIdentity (same name), appending
// new CAs and keeping old ones so rotation never breaks running proxies, and
// records which identity it came from in status.origin (Kuma moved it there
// from spec.origin, which is still accepted).

import { Type } from '@sinclair/typebox';
import { defineResource, type ResourceDefinition } from '../definition.js';
import { ageColumn, nameColumn, section } from '../core/columns.js';
import { fieldError, type FieldError } from '../errors.js';
import { isPlainObject, type KObject } from '../object.js';
import { listOf, opt, str, strEnum } from '../schemas/index.js';
import { index } from '../validation/field.js';
import { countAt } from './columns.js';
import { trustDomainProblem } from './spiffe-id.js';

export const CA_BUNDLE_TYPES = ['Pem'] as const;
const TRUST_DOMAIN_MAX = 253;
const PRIVATE_KEY_BLOCKS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'DSA PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']);
const PEM_BLOCK_RE = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\s]*?)-----END \1-----/;

function originSchema(description: string) {
  return Type.Object({ kri: opt(str('Kuma resource identifier (KRI) of the MeshIdentity this trust was created from.')) }, { description });
}

export const MeshTrustSpecSchema = Type.Object(
  {
    trustDomain: str('Trust domain these CAs sign for.', { maxLength: TRUST_DOMAIN_MAX }),
    caBundles: listOf(
      'Trusted CAs, at least one; new CAs are appended, so older ones keep working during rotation.',
      Type.Object(
        {
          type: strEnum('Format of the bundle; only `Pem`.', CA_BUNDLE_TYPES),
          pem: opt(Type.Object({ value: str('PEM-encoded CA certificate(s).') }, { description: 'The bundle when type is Pem.', required: ['value'] })),
        },
        { description: 'One CA bundle.', required: ['type'] },
      ),
      { listType: 'atomic' },
    ),
    origin: opt(originSchema('Deprecated (as in Kuma): the control plane records the origin in status.origin; accepted so older manifests still apply.')),
  },
  { description: 'Trusted CA bundles of a trust domain.', required: ['trustDomain', 'caBundles'] },
);

export const MeshTrustStatusSchema = Type.Object(
  { origin: opt(originSchema('Set when the control plane created this trust from a MeshIdentity.')) },
  { description: 'Observed state of the trust.' },
);

/** Whether `s` holds a PEM block that is not a private key (Kuma's test for a certificate). */
export function isPemCertificate(s: string): boolean {
  const m = PEM_BLOCK_RE.exec(s);
  return !!m && !PRIVATE_KEY_BLOCKS.has(m[1]);
}

export function validateMeshTrust(mt: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = section(mt, 'spec');
  if (spec.trustDomain === '') errs.push(fieldError.required('spec.trustDomain'));
  else if (typeof spec.trustDomain === 'string') {
    const problem = trustDomainProblem(spec.trustDomain);
    if (problem) errs.push(fieldError.invalid('spec.trustDomain', spec.trustDomain, problem));
  }
  const bundles = spec.caBundles;
  if (!Array.isArray(bundles)) return errs; // absent or mistyped: the schema reports it
  if (bundles.length === 0) errs.push(fieldError.required('spec.caBundles', 'must not be empty'));
  bundles.forEach((b, i) => {
    if (!isPlainObject(b) || b.type !== 'Pem') return;
    const at = `${index('spec.caBundles', i)}.pem`;
    if (!isPlainObject(b.pem)) errs.push(fieldError.required(at, 'must be defined'));
    else if (typeof b.pem.value === 'string' && !isPemCertificate(b.pem.value)) {
      errs.push({ field: `${at}.value`, type: 'FieldValueInvalid', detail: 'provided certificate has incorrect format', hasValue: false });
    }
  });
  return errs;
}

export const meshTrustDefinition: ResourceDefinition = defineResource({
  group: 'kuma.io',
  version: 'v1alpha1',
  kind: 'MeshTrust',
  plural: 'meshtrusts',
  singular: 'meshtrust',
  shortNames: ['mtrust'],
  categories: ['kuma'],
  namespaced: true,
  description: 'MeshTrust lists the CA bundles trusted for one trust domain; the control plane keeps one per MeshIdentity.',
  schema: Type.Object({ spec: MeshTrustSpecSchema, status: opt(MeshTrustStatusSchema) }, { description: 'A mesh trust.' }),
  subresources: { status: true },
  columns: [
    nameColumn,
    { name: 'Trust Domain', type: 'string', description: 'Trust domain of the bundles.', jsonPath: '.spec.trustDomain' },
    { name: 'Bundles', type: 'integer', description: 'Number of CA bundles.', value: (mt) => countAt(mt, '.spec.caBundles') },
    ageColumn,
  ],
  strategy: {
    validate: validateMeshTrust,
    validateUpdate: (mt) => validateMeshTrust(mt),
  },
});
