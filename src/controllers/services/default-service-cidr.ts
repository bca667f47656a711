// The `kubernetes` ServiceCIDR: --service-cluster-ip-range as an object, as
// kube-apiserver keeps its default ServiceCIDR, Ready once it exists. Cluster
// IPs are allocated from this range; the object makes it visible to
// `kubectl get servicecidrs`. Every replica ensures it at start.

import { isAlreadyExists } from '../../api/errors.js';
import { nowIso } from '../../api/object.js';
import { DEFAULT_SERVICE_CIDR_NAME } from '../../api/networking/service-cidr.js';
import type { Client } from '../../client/types.js';

const SERVICE_CIDRS = { group: 'networking.k8s.io', version: 'v1', resource: 'servicecidrs' };

export async function ensureDefaultServiceCIDR(client: Client, range: string): Promise<void> {
  if (!client.forKind('networking.k8s.io/v1', 'ServiceCIDR')) return;
  const rc = client.resource(SERVICE_CIDRS);
  let cur = await rc.get(undefined, DEFAULT_SERVICE_CIDR_NAME);
  if (!cur) {
    try {
      cur = await rc.create(undefined, { apiVersion: 'networking.k8s.io/v1', kind: 'ServiceCIDR', metadata: { name: DEFAULT_SERVICE_CIDR_NAME }, spec: { cidrs: [range] } });
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      cur = (await rc.get(undefined, DEFAULT_SERVICE_CIDR_NAME))!;
    }
  }
  const conditions = ((cur.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []);
  if (conditions.some((c) => c.type === 'Ready' && c.status === 'True')) return;
  const ready = { type: 'Ready', status: 'True', message: 'Kubernetes Service CIDR is ready', lastTransitionTime: nowIso() };
  await rc.updateStatus(undefined, { ...cur, status: { conditions: [ready] } }).catch((e) => {
    if (!isAlreadyExists(e) && (e as { code?: number }).code !== 409) throw e;
  });
}
