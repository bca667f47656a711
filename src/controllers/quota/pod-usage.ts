// What one pod counts against a ResourceQuota: `pods` (and `count/pods`),
// its requests as `requests.<name>` (cpu and memory also as bare `cpu`,
// `memory`) and its limits as `limits.<name>`. A pod's request is the larger
// of its containers' sum and its largest init container, plus overhead, as
// kube's scheduler and quota compute it. Finished pods count nothing.

import { isPlainObject, type KObject } from '../../api/object.js';
import { section } from '../../api/core/columns.js';
import { addAmount, addInto, count, fromObject, type ResourceList } from './resource-list.js';

type Obj = Record<string, unknown>;
const containers = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);
const resources = (c: Obj, which: 'requests' | 'limits') => fromObject(isPlainObject(c.resources) ? c.resources[which] : undefined);

/** kube's pod request arithmetic: max(sum of containers, each init container) + overhead. */
function podAmounts(spec: Obj, which: 'requests' | 'limits'): ResourceList {
  const sum: ResourceList = new Map();
  for (const c of containers(spec.containers)) addInto(sum, resources(c, which));
  for (const c of containers(spec.initContainers)) {
    for (const [k, v] of resources(c, which)) {
      const cur = sum.get(k);
      if (!cur || v.nano > cur.nano) sum.set(k, { ...v });
    }
  }
  addInto(sum, fromObject(spec.overhead));
  return sum;
}

/** Past its grace period a deleted pod no longer counts (kube's QuotaV1Pod). */
export function countsAgainstQuota(pod: KObject, now = Date.now()): boolean {
  const phase = section(pod, 'status').phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const { deletionTimestamp, deletionGracePeriodSeconds } = pod.metadata;
  if (deletionTimestamp && deletionGracePeriodSeconds !== undefined) {
    return now <= Date.parse(deletionTimestamp) + deletionGracePeriodSeconds * 1000;
  }
  return true;
}

const cache = new WeakMap<KObject, ResourceList>();

/** The pod's usage (pods are immutable once stored, so the result is cached per object). */
export function podUsage(pod: KObject): ResourceList {
  const hit = cache.get(pod);
  if (hit) return hit;
  const spec = section(pod, 'spec');
  const out: ResourceList = new Map([
    ['pods', count(1)],
    ['count/pods', count(1)],
  ]);
  for (const [k, v] of podAmounts(spec, 'requests')) {
    out.set(`requests.${k}`, v);
    if (k === 'cpu' || k === 'memory' || k === 'ephemeral-storage') out.set(k, addAmount(undefined, v));
  }
  for (const [k, v] of podAmounts(spec, 'limits')) out.set(`limits.${k}`, v);
  cache.set(pod, out);
  return out;
}

/** Resources whose presence on every container a quota on them demands (kube's backward-compatible rule). */
const CONSTRAINED = ['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];

/** `must specify limits.cpu for: nginx; ...` when containers lack what a quota on `hard` requires; else undefined. */
export function missingResources(pod: KObject, hard: Iterable<string>): string | undefined {
  const tracked = new Set(hard);
  const required = CONSTRAINED.filter((r) => tracked.has(r));
  if (!required.length) return undefined;
  const spec = section(pod, 'spec');
  const missing = new Map<string, Set<string>>();
  for (const c of [...containers(spec.containers), ...containers(spec.initContainers)]) {
    const req = resources(c, 'requests');
    const lim = resources(c, 'limits');
    for (const r of required) {
      const has = r.startsWith('limits.') ? lim.has(r.slice(7)) : req.has(r.replace(/^requests\./, ''));
      if (!has) {
        if (!missing.has(r)) missing.set(r, new Set());
        missing.get(r)!.add(String(c.name));
      }
    }
  }
  if (!missing.size) return undefined;
  const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}
