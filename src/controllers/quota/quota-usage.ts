// How much of a ResourceQuota's hard limits the pods of its namespace use.
// Shared by admission (is there room for one more pod?) and the quota
// controller (status.used).

import type { KObject } from '../../api/object.js';
import { section } from '../../api/core/columns.js';
import { countsAgainstQuota, podUsage } from './pod-usage.js';
import { quotaCoversPod } from './quota-scopes.js';
import { addAmount, fromObject, type ResourceList } from './resource-list.js';

export const hardLimits = (quota: KObject): ResourceList => fromObject(section(quota, 'spec').hard);

/** Usage of the resources named in the quota's spec.hard by the pods it covers. */
export function quotaUsage(quota: KObject, pods: Iterable<KObject>, hard: ResourceList = hardLimits(quota), now = Date.now()): ResourceList {
  const used: ResourceList = new Map();
  for (const pod of pods) {
    if (!countsAgainstQuota(pod, now) || !quotaCoversPod(quota, pod)) continue;
    for (const [k, v] of podUsage(pod)) if (hard.has(k)) used.set(k, addAmount(used.get(k), v));
  }
  return used;
}
