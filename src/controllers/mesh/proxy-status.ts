// What a Workload's status counts about one proxy: connected (from its
// DataplaneInsight) and healthy (from its Dataplane's inbounds).

import { section } from '../../api/core/columns.js';
import { isDataplaneHealthy } from '../../api/kuma/dataplane.js';
import { isPlainObject, type KObject } from '../../api/object.js';

export interface ProxyCounts {
  connected: number;
  healthy: number;
  total: number;
}

/**
 * Connected: some subscription has connected and not disconnected (the
 * spec's rule, as Kuma counts it). The DP server marks the subscriptions of a
 * restarted control plane instance disconnected, so a stale one does not
 * linger. `isInsightConnected` (the DPI's printed column) looks at the latest
 * subscription only; the two agree whenever at most one stream is open.
 */
export function isProxyConnected(dpi: KObject | undefined): boolean {
  if (!dpi) return false;
  const subs = section(dpi, 'status').subscriptions;
  return Array.isArray(subs) && subs.some((s) => isPlainObject(s) && !!s.connectTime && !s.disconnectTime);
}

/** At least one inbound Ready (absent state means Ready) whose health is absent or ready; no inbounds: not healthy. */
export const isProxyHealthy = isDataplaneHealthy;

/** A full recount, O(proxies): the reference WorkloadProxyCounts must agree with (controllers keep counts incrementally). */
export function countProxies(dataplanes: Iterable<KObject>, insightOf: (dp: KObject) => KObject | undefined): ProxyCounts {
  const c: ProxyCounts = { connected: 0, healthy: 0, total: 0 };
  for (const dp of dataplanes) {
    c.total++;
    if (isProxyConnected(insightOf(dp))) c.connected++;
    if (isProxyHealthy(dp)) c.healthy++;
  }
  return c;
}
