// What issuance needs from a MeshIdentity object, read once per change: its
// mesh, its selector and its SPIFFE ID templates, parsed. Templates that
// fail to parse never get here in practice (validation refuses them), but a
// view still comes out, marked broken, so one bad object cannot stop the
// rest.

import { meshOf, ZONE_LABEL } from '../api/kuma/labels.js';
import { DEFAULT_TRUST_DOMAIN_TEMPLATE, parseSpiffeTemplate, PATH_VARIABLES, TRUST_DOMAIN_VARIABLES, type SpiffeTemplate } from '../api/kuma/spiffe-template.js';
import { isPlainObject, type KObject } from '../api/object.js';

export interface IdentitySpec {
  /** `namespace/name`. */
  key: string;
  namespace: string;
  name: string;
  uid?: string;
  mesh: string;
  /** Labels of the identity object (trust-domain templates may read them with `label`). */
  labels: Record<string, string>;
  /** Zone from the object's kuma.io/zone label; the control plane's own zone when unset. */
  zone?: string;
  /** Undefined: no `selector.dataplane`, selects nothing. Empty: selects every dataplane of the mesh. */
  matchLabels?: Record<string, string>;
  trustDomainTemplate: SpiffeTemplate;
  /** The path template the user wrote; undefined means the default of each flow. */
  pathTemplate?: SpiffeTemplate;
  /** Why a template did not parse, when one did not. */
  templateError?: string;
}

const obj = (v: unknown): Record<string, unknown> | undefined => (isPlainObject(v) ? v : undefined);

export function identitySpecOf(mi: KObject): IdentitySpec {
  const spec = obj(mi.spec) ?? {};
  const dp = obj(obj(spec.selector)?.dataplane);
  const sid = obj(spec.spiffeID) ?? {};
  const namespace = mi.metadata.namespace ?? '';
  const name = mi.metadata.name ?? '';
  const view: IdentitySpec = {
    key: `${namespace}/${name}`,
    namespace,
    name,
    uid: mi.metadata.uid,
    mesh: meshOf(mi),
    labels: { ...(mi.metadata.labels ?? {}) },
    zone: mi.metadata.labels?.[ZONE_LABEL] || undefined,
    matchLabels: dp ? ({ ...(obj(dp.matchLabels) ?? {}) } as Record<string, string>) : undefined,
    trustDomainTemplate: { source: DEFAULT_TRUST_DOMAIN_TEMPLATE, parts: [] },
  };
  try {
    const td = typeof sid.trustDomain === 'string' && sid.trustDomain !== '' ? sid.trustDomain : DEFAULT_TRUST_DOMAIN_TEMPLATE;
    view.trustDomainTemplate = parseSpiffeTemplate(td, TRUST_DOMAIN_VARIABLES);
    if (typeof sid.path === 'string' && sid.path !== '') view.pathTemplate = parseSpiffeTemplate(sid.path, PATH_VARIABLES);
  } catch (e) {
    view.templateError = `couldn't parse template: ${(e as Error).message}`;
  }
  return view;
}
