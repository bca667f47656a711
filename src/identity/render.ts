// SPIFFE IDs from MeshIdentity templates. The trust domain belongs to the
// identity (rendered from its mesh and zone); the path belongs to each
// dataplane and depends on how it came to be: pods' Dataplanes default to
// /ns/<namespace>/sa/<service account>, Dataplanes registered directly
// (`workplane dp run`) to /workload/<workload>.

import { KUBE_NAMESPACE_LABEL, KUBE_SERVICE_ACCOUNT_LABEL, workloadOf } from '../api/kuma/labels.js';
import { pathProblem, spiffeIdOf, trustDomainProblem } from '../api/kuma/spiffe-id.js';
import {
  DEFAULT_PATH_TEMPLATE,
  DEFAULT_POD_PATH_TEMPLATE,
  parseSpiffeTemplate,
  renderSpiffeTemplate,
  templateUsesWorkload,
  type SpiffeTemplate,
} from '../api/kuma/spiffe-template.js';
import type { KObject } from '../api/object.js';
import type { IdentitySpec } from './identity-spec.js';

/** The zone of a control plane that names none (trust domain `<mesh>.default.mesh.local`). */
export const DEFAULT_ZONE = 'default';

export type DataplaneFlow = 'pod' | 'registered';

const POD_PATH = parseSpiffeTemplate(DEFAULT_POD_PATH_TEMPLATE);
const REGISTERED_PATH = parseSpiffeTemplate(DEFAULT_PATH_TEMPLATE);

export class SpiffeIdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpiffeIdError';
  }
}

/** A pod's Dataplane (owned by a Pod, or carrying the pod labels the control plane sets) or a registered one. */
export function flowOf(dp: KObject): DataplaneFlow {
  if (dp.metadata.ownerReferences?.some((r) => r.kind === 'Pod' && r.apiVersion === 'v1')) return 'pod';
  return dp.metadata.labels?.[KUBE_SERVICE_ACCOUNT_LABEL] ? 'pod' : 'registered';
}

/** The path template that applies to a dataplane of this flow: the identity's own, else the flow's default. */
export function pathTemplateFor(identity: Pick<IdentitySpec, 'pathTemplate'>, flow: DataplaneFlow): SpiffeTemplate {
  return identity.pathTemplate ?? (flow === 'pod' ? POD_PATH : REGISTERED_PATH);
}

/** The identity's trust domain; throws SpiffeIdError when it does not render to a valid one. */
export function renderTrustDomain(identity: IdentitySpec, localZone = DEFAULT_ZONE): string {
  let td: string;
  try {
    td = renderSpiffeTemplate(identity.trustDomainTemplate, { Mesh: identity.mesh, Zone: identity.zone ?? localZone }, identity.labels);
  } catch (e) {
    throw new SpiffeIdError(`trust domain: ${(e as Error).message}`);
  }
  const problem = trustDomainProblem(td);
  if (problem) throw new SpiffeIdError(`trust domain ${JSON.stringify(td)}: ${problem}`);
  return td;
}

/** `spiffe://<trustDomain><path>` for a dataplane; throws SpiffeIdError naming what is missing or invalid. */
export function renderSpiffeId(identity: Pick<IdentitySpec, 'pathTemplate'>, trustDomain: string, dp: KObject): string {
  const labels = dp.metadata.labels ?? {};
  const vars = {
    TrustDomain: trustDomain,
    Namespace: labels[KUBE_NAMESPACE_LABEL] || dp.metadata.namespace,
    ServiceAccount: labels[KUBE_SERVICE_ACCOUNT_LABEL] || undefined,
    Workload: workloadOf(dp),
  };
  let path: string;
  try {
    path = renderSpiffeTemplate(pathTemplateFor(identity, flowOf(dp)), vars, labels);
  } catch (e) {
    throw new SpiffeIdError(`path: ${(e as Error).message}`);
  }
  const problem = pathProblem(path);
  if (problem) throw new SpiffeIdError(`path ${JSON.stringify(path)}: ${problem}`);
  return spiffeIdOf(trustDomain, path);
}

/**
 * The connect-time rule (spec): a dataplane whose identity's path needs the
 * workload label and that lacks it is refused with Kuma's message.
 */
export function missingWorkloadLabel(identity: Pick<IdentitySpec, 'name' | 'pathTemplate'>, dp: KObject): string | undefined {
  if (workloadOf(dp) !== undefined) return undefined;
  const tmpl = pathTemplateFor(identity, flowOf(dp));
  if (!templateUsesWorkload(tmpl)) return undefined;
  return `missing required label 'kuma.io/workload' - dataplane is selected by MeshIdentity '${identity.name}' with path template '${tmpl.source}'`;
}
