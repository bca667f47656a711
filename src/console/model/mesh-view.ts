// The kuma.io Workload with its proxies: the Dataplanes labelled with its
// kuma.io/workload in its namespace, each joined to its DataplaneInsight (same
// name) for connection and certificate. The connected / healthy rules are the
// mesh controllers' (src/controllers/mesh/proxy-status.ts), restated here
// because the page must not bundle server modules.

import type { KObject } from '../../api/object.js';
import { objectKey } from './list-state.js';
import { specOf, statusOf } from './pods.js';

export const WORKLOAD_LABEL = 'kuma.io/workload';

export interface ProxyView {
  name: string;
  dataplane: KObject;
  insight?: KObject;
  address?: string;
  connected: boolean;
  healthy: boolean;
  inbounds: number;
  spiffeID?: string;
  certificateExpires?: string;
}

export interface MeshCounts {
  connected: number;
  healthy: number;
  total: number;
}

const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export function meshCounts(w: KObject): MeshCounts {
  const c = rec(statusOf(w).dataplaneProxies);
  const n = (v: unknown) => (typeof v === 'number' ? v : 0);
  return { connected: n(c.connected), healthy: n(c.healthy), total: n(c.total) };
}

/** Connected: some subscription connected and has not disconnected. */
export function isConnected(insight: KObject | undefined): boolean {
  const subs = insight ? statusOf(insight).subscriptions : undefined;
  return Array.isArray(subs) && subs.some((s) => !!rec(s).connectTime && !rec(s).disconnectTime);
}

function inboundsOf(dp: KObject): Record<string, unknown>[] {
  const ins = rec(specOf(dp).networking).inbound;
  return Array.isArray(ins) ? ins.map(rec) : [];
}

/** Healthy: some inbound is Ready (absent state counts as Ready) and not reported unhealthy. */
export function isHealthy(dp: KObject): boolean {
  return inboundsOf(dp).some((i) => (i.state ?? 'Ready') === 'Ready' && rec(i.health).ready !== false);
}

export function proxyView(dp: KObject, insight: KObject | undefined): ProxyView {
  const mtls = insight ? rec(statusOf(insight).mTLS) : {};
  const address = rec(specOf(dp).networking).address;
  return {
    name: dp.metadata.name ?? '',
    dataplane: dp,
    insight,
    address: typeof address === 'string' ? address : undefined,
    connected: isConnected(insight),
    healthy: isHealthy(dp),
    inbounds: inboundsOf(dp).length,
    spiffeID: typeof mtls.spiffeID === 'string' ? mtls.spiffeID : undefined,
    certificateExpires: typeof mtls.certificateExpirationTime === 'string' ? mtls.certificateExpirationTime : undefined,
  };
}

/** The proxies of a Workload, by name. */
export function proxiesOf(w: KObject, dataplanes: readonly KObject[], insights: readonly KObject[]): ProxyView[] {
  const byKey = new Map(insights.map((i) => [objectKey(i), i]));
  return dataplanes
    .filter((dp) => dp.metadata.namespace === w.metadata.namespace && dp.metadata.labels?.[WORKLOAD_LABEL] === w.metadata.name)
    .map((dp) => proxyView(dp, byKey.get(objectKey(dp))))
    .sort((a, b) => a.name.localeCompare(b.name));
}
