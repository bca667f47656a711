// Keeps each ResourceQuota's status current: status.hard mirrors spec.hard,
// status.used sums what the namespace's pods use of each limited resource.
// Event-driven: a pod change reconciles the quotas of its namespace. Object
// counts other than pods (`secrets`, `count/configmaps`...) are counted with
// a list when the quota is reconciled and refreshed every `recountMs`.

import { deepEqual, isPlainObject, type KObject } from '../../api/object.js';
import { controllerFor, type Controller } from '../../client/controller.js';
import type { Informer } from '../../client/informer.js';
import type { Logger } from '../../client/logger.js';
import { objectKey } from '../../client/object-key.js';
import type { SharedInformers } from '../../client/shared-informers.js';
import type { Client, ResourceClient } from '../../client/types.js';
import { hardLimits, quotaUsage } from './quota-usage.js';
import { count, toObject } from './resource-list.js';

export const QUOTAS = { group: '', version: 'v1', resource: 'resourcequotas' };
const PODS = { group: '', version: 'v1', resource: 'pods' };
const NAMESPACE_INDEX = 'namespace';

export interface QuotaControllerOptions {
  informers?: SharedInformers;
  log?: Logger;
  workers?: number;
  /** How often quotas on object counts are recounted. Default 10 s. */
  recountMs?: number;
}

const byNamespace = { [NAMESPACE_INDEX]: (o: KObject) => [o.metadata.namespace ?? ''] };

/** The resource a `count/<resource>[.<group>]` or legacy object-count name refers to. */
function countedResource(client: Client, name: string): ResourceClient | undefined {
  const legacy = ['services', 'secrets', 'configmaps', 'resourcequotas', 'persistentvolumeclaims', 'replicationcontrollers'];
  let target = legacy.includes(name) ? name : name.startsWith('count/') ? name.slice(6) : undefined;
  if (!target || target === 'pods') return undefined;
  const dot = target.indexOf('.');
  const group = dot < 0 ? '' : target.slice(dot + 1);
  target = dot < 0 ? target : target.slice(0, dot);
  return client.resources().find((rc) => rc.gvr.resource === target && rc.gvr.group === group && rc.namespaced);
}

export function quotaController(client: Client, opts: QuotaControllerOptions = {}): Controller {
  let pods: Informer | undefined;
  let quotas: Informer | undefined;
  const recountMs = opts.recountMs ?? 10_000;
  const reconcile = async (key: string) => {
    const q = quotas!.getByKey(key);
    if (!q) return;
    const ns = q.metadata.namespace ?? '';
    const hard = hardLimits(q);
    const used = quotaUsage(q, pods!.byIndex(NAMESPACE_INDEX, ns), hard);
    let recount = false;
    for (const name of hard.keys()) {
      const rc = countedResource(client, name);
      if (!rc) continue;
      recount = true;
      used.set(name, count((await rc.list(ns)).items.length));
    }
    const spec = isPlainObject(q.spec) ? q.spec : {};
    const status = { hard: isPlainObject(spec.hard) ? { ...spec.hard } : {}, used: toObject(used, hard.keys()) };
    if (!deepEqual(q.status ?? {}, status)) await client.resource(QUOTAS).updateStatus(ns, { ...q, status });
    return recount ? { requeueAfter: recountMs } : undefined;
  };
  const c = controllerFor(client, { name: 'resourcequota-controller', workers: opts.workers ?? 2, informers: opts.informers, log: opts.log })
    .for(QUOTAS)
    .watches(PODS, (p) => quotas!.byIndex(NAMESPACE_INDEX, p.metadata.namespace ?? '').map(objectKey))
    .complete(reconcile);
  pods = c.informers.informerFor(PODS, byNamespace);
  quotas = c.informers.informerFor(QUOTAS, byNamespace);
  return c;
}
