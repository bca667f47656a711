// SPIFFE ID rules for rendered trust domains and paths: MeshIdentity
// validation renders its templates with stand-in values and checks the result,
// so a template whose output could never be a SPIFFE ID is refused up front.

import { renderSpiffeTemplate, type SpiffeTemplate, type SpiffeVariable } from './spiffe-template.js';

const TRUST_DOMAIN_RE = /^[a-z0-9._-]+$/;
const PATH_SEGMENT_RE = /^[A-Za-z0-9._-]+$/;

/** Why `td` is not a SPIFFE trust domain, or undefined when it is one. */
export function trustDomainProblem(td: string): string | undefined {
  if (td === '') return 'trust domain is missing';
  if (!TRUST_DOMAIN_RE.test(td)) return 'trust domain characters are limited to lowercase letters, numbers, dots, dashes, and underscores';
  return undefined;
}

/** Why `path` is not a SPIFFE ID path, or undefined when it is one (the empty path is one). */
export function pathProblem(path: string): string | undefined {
  if (path === '') return undefined;
  if (!path.startsWith('/')) return 'path must have a leading slash';
  const segments = path.slice(1).split('/');
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    if (s === '') return i === segments.length - 1 ? 'path cannot have a trailing slash' : 'path cannot contain empty segments';
    if (s === '.' || s === '..') return 'path cannot contain dot segments';
    if (!PATH_SEGMENT_RE.test(s)) return 'path segment characters are limited to letters, numbers, dots, dashes, and underscores';
  }
  return undefined;
}

/** `spiffe://<trustDomain><path>`. */
export const spiffeIdOf = (trustDomain: string, path: string) => `spiffe://${trustDomain}${path}`;

/** Stand-ins shaped like real values (lowercase DNS-style), so only the template's own text can break the rules. */
const STUB_VARS: Record<SpiffeVariable, string> = {
  Mesh: 'mesh',
  Zone: 'zone',
  TrustDomain: 'trust-domain',
  Namespace: 'namespace',
  ServiceAccount: 'service-account',
  Workload: 'workload',
};

/** Renders with stand-in values; every `label "k"` yields `label`. */
export function renderWithStubs(tmpl: SpiffeTemplate): string {
  const labels: Record<string, string> = {};
  for (const p of tmpl.parts) if (p.kind === 'label') labels[p.key] = 'label';
  return renderSpiffeTemplate(tmpl, STUB_VARS, labels);
}
