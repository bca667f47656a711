// The ResourceQuota admission plugin for pods: a pod is refused (403) when
// it lacks a request or limit a quota needs, or when adding it would take
// any quota in its namespace past spec.hard, with kube's messages:
//   pods "x" is forbidden: exceeded quota: q, requested: requests.cpu=500m, used: requests.cpu=1, limited: requests.cpu=1
//
// Races: creates run concurrently and a pod admitted a moment ago may not be
// in the list yet. Every pod this plugin admits is remembered until a list
// shows it (or, if its write failed after admission, for at most
// `pendingTtlMs`), and the check-and-remember step is synchronous, so two
// concurrent creates can never both take the last unit.

import { forbidden } from '../../api/errors.js';
import type { KObject } from '../../api/object.js';
import type { AdmissionPlugin } from '../../registry/admission.js';
import type { Registry } from '../../registry/registry.js';
import { missingResources, podUsage } from './pod-usage.js';
import { quotaCoversPod } from './quota-scopes.js';
import { hardLimits, quotaUsage } from './quota-usage.js';
import { prettyPrint, type ResourceList } from './resource-list.js';

export interface QuotaAdmissionOptions {
  /** How long an admitted pod that never shows up keeps counting. Default 10 s. */
  pendingTtlMs?: number;
}

const refuse = (name: string, message: string) => forbidden(`pods "${name}" is forbidden: ${message}`, { name, kind: 'pods' });

export function resourceQuotaAdmission(registry: Registry, opts: QuotaAdmissionOptions = {}): AdmissionPlugin {
  const ttl = opts.pendingTtlMs ?? 10_000;
  /** namespace → uid → admitted pod not yet seen in a list */
  const pending = new Map<string, Map<string, { pod: KObject; at: number }>>();

  function admittedPods(ns: string, listed: readonly KObject[]): KObject[] {
    const mine = pending.get(ns);
    if (!mine) return [...listed];
    const now = Date.now();
    const seen = new Set(listed.map((p) => p.metadata.uid));
    for (const [uid, p] of mine) if (seen.has(uid) || now - p.at > ttl) mine.delete(uid);
    if (!mine.size) pending.delete(ns);
    return [...listed, ...[...mine.values()].map((p) => p.pod)];
  }

  return {
    name: 'ResourceQuota',
    handles: (def, op) => def.group === '' && def.kind === 'Pod' && op === 'CREATE',
    async validate(a) {
      const quotaStore = registry.forKind('', 'ResourceQuota');
      const podStore = registry.forKind('', 'Pod');
      const ns = a.namespace;
      if (!quotaStore || !podStore || !ns || !a.obj) return;
      // Served from the watch cache without waiting for it to catch up with
      // storage (resourceVersion 0): pods admitted here but not yet listed are
      // in `pending`, and a pod whose deletion is not yet listed only errs on
      // the safe side.
      const quotas = (await quotaStore.list(ns, { resourceVersion: '0' })).items;
      if (!quotas.length) return;
      const listed = (await podStore.list(ns, { resourceVersion: '0' })).items;
      // From here to the end: no await, so the check and the reservation are one step.
      const pod = a.obj;
      const covering = quotas.filter((q) => quotaCoversPod(q, pod)).sort((x, y) => (x.metadata.name! < y.metadata.name! ? -1 : 1));
      const hards = covering.map((q) => ({ q, hard: hardLimits(q) })).filter((x) => x.hard.size > 0);
      for (const { q, hard } of hards) {
        const missing = missingResources(pod, hard.keys());
        if (missing) throw refuse(a.name, `failed quota: ${q.metadata.name}: ${missing}`);
      }
      const usage = podUsage(pod);
      const pods = admittedPods(ns, listed);
      for (const { q, hard } of hards) {
        const requested: ResourceList = new Map([...usage].filter(([k, v]) => hard.has(k) && v.nano !== 0n));
        if (!requested.size) continue;
        const used = quotaUsage(q, pods, hard);
        const exceeded = [...requested].filter(([k, v]) => (used.get(k)?.nano ?? 0n) + v.nano > hard.get(k)!.nano).map(([k]) => k);
        if (exceeded.length) {
          throw refuse(
            a.name,
            `exceeded quota: ${q.metadata.name}, requested: ${prettyPrint(requested, exceeded)}, used: ${prettyPrint(used, exceeded)}, limited: ${prettyPrint(hard, exceeded)}`,
          );
        }
      }
      if (a.ctx.dryRun || !hards.length) return;
      let mine = pending.get(ns);
      if (!mine) pending.set(ns, (mine = new Map()));
      mine.set(pod.metadata.uid ?? a.name, { pod, at: Date.now() });
    },
  };
}
