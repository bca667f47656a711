// May this credential act for this Dataplane? A dataplane token covers the
// Dataplanes of its mesh and workload (and namespace, when it names one); a
// ServiceAccount token covers the Dataplanes of pods running as that account.
// Failures throw PERMISSION_DENIED with the message the proxy shows.

import type { KObject } from '../../api/object.js';
import { KUBE_SERVICE_ACCOUNT_LABEL, meshOf, workloadOf } from '../../api/kuma/labels.js';
import type { DataplaneTokenClaims } from '../tokens/dataplane-token.js';
import type { DpCredential } from './authenticator.js';
import { permissionDenied } from './dp-error.js';

/** Reads a Pod (undefined when absent); the ServiceAccount check follows a Dataplane to its pod. */
export type PodLookup = (namespace: string, name: string) => Promise<KObject | undefined>;

export async function authorizeDataplane(cred: DpCredential, dp: KObject, getPod: PodLookup): Promise<void> {
  if (cred.kind === 'dataplane-token') return authorizeByToken(cred.claims, dp);
  return authorizeByServiceAccount(cred, dp, getPod);
}

const notAllowed = (what: string, actual: string, allowed: string) =>
  permissionDenied(`dataplane ${what} "${actual}" is not allowed with this token. Allowed ${what} in token is "${allowed}"`);

function authorizeByToken(claims: DataplaneTokenClaims, dp: KObject): void {
  const ns = dp.metadata.namespace ?? '';
  if (claims.namespace && ns !== claims.namespace) throw notAllowed('namespace', ns, claims.namespace);
  const mesh = meshOf(dp);
  if (mesh !== claims.mesh) throw notAllowed('mesh', mesh, claims.mesh);
  const workload = workloadOf(dp);
  if (!workload) throw permissionDenied('dataplane has no workload label required by the token');
  if (workload !== claims.workload) throw notAllowed('workload', workload, claims.workload);
}

async function authorizeByServiceAccount(cred: Extract<DpCredential, { kind: 'service-account' }>, dp: KObject, getPod: PodLookup): Promise<void> {
  const ns = dp.metadata.namespace ?? '';
  if (ns !== cred.namespace) throw notAllowed('namespace', ns, cred.namespace);
  const label = dp.metadata.labels?.[KUBE_SERVICE_ACCOUNT_LABEL];
  if (!label) throw permissionDenied('dataplane has no service account label required by the token');
  if (label !== cred.serviceAccount) throw notAllowed('service account', label, cred.serviceAccount);
  const owner = dp.metadata.ownerReferences?.find((r) => r.kind === 'Pod' && r.apiVersion === 'v1');
  if (!owner) throw permissionDenied(`dataplane "${ns}/${dp.metadata.name}" belongs to no pod; a service account token only serves pods`);
  if (cred.podName && cred.podName !== owner.name) throw permissionDenied(`token is bound to pod "${cred.podName}", not to pod "${owner.name}" of this dataplane`);
  const pod = await getPod(ns, owner.name);
  if (!pod || pod.metadata.uid !== owner.uid) throw permissionDenied(`pod "${ns}/${owner.name}" of this dataplane does not exist`);
  const spec = (pod.spec ?? {}) as { serviceAccountName?: string };
  const podSa = spec.serviceAccountName || 'default';
  if (podSa !== cred.serviceAccount) throw permissionDenied(`pod "${ns}/${owner.name}" runs as service account "${podSa}", not "${cred.serviceAccount}"`);
}
