// Quality-of-service class of a pod, computed as kube does from the cpu and
// memory requests and limits of all its containers.

import { isPlainObject } from '../object.js';
import { quantityNano } from '../validation/resources.js';

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const QOS_RESOURCES = ['cpu', 'memory'];

function positive(list: unknown): Map<string, bigint> {
  const out = new Map<string, bigint>();
  if (!isPlainObject(list)) return out;
  for (const name of QOS_RESOURCES) {
    const v = quantityNano(list[name]);
    if (v !== undefined && v > 0n) out.set(name, v);
  }
  return out;
}

const add = (sum: Map<string, bigint>, part: Map<string, bigint>) => {
  for (const [k, v] of part) sum.set(k, (sum.get(k) ?? 0n) + v);
};

export function computeQosClass(spec: unknown): QosClass {
  const sp = isPlainObject(spec) ? spec : {};
  const containers = [...(Array.isArray(sp.containers) ? sp.containers : []), ...(Array.isArray(sp.initContainers) ? sp.initContainers : [])];
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let guaranteed = true;
  for (const c of containers) {
    const res = isPlainObject(c) && isPlainObject(c.resources) ? c.resources : {};
    const req = positive(res.requests);
    const lim = positive(res.limits);
    add(requests, req);
    add(limits, lim);
    // Guaranteed needs both cpu and memory limits on every container.
    if (!lim.has('cpu') || !lim.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [k, v] of requests) if (limits.get(k) !== v) guaranteed = false;
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
