// DataplaneInsight subscriptions: one per DP stream, appended on connect and
// closed (disconnectTime) when the stream ends. A control plane that starts
// closes the open subscriptions of earlier instances: their streams died with
// them, and a subscription left open would show a ghost connection.

import { isPlainObject } from '../../api/object.js';
import type { KObject } from '../../api/object.js';
import type { InsightStatus, InsightStore } from './insight-store.js';

/** Subscriptions kept per insight; the oldest closed ones go first. */
export const MAX_SUBSCRIPTIONS = 10;

type Subscription = Record<string, unknown>;

const subscriptionsOf = (status: InsightStatus): Subscription[] => {
  const subs = Array.isArray(status.subscriptions) ? status.subscriptions.filter(isPlainObject) : [];
  status.subscriptions = subs;
  return subs;
};

export class SubscriptionRecorder {
  constructor(
    private readonly insights: InsightStore,
    readonly instanceId: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** `agentVersion` is recorded as Kuma records its kuma-dp version. */
  connected(dataplane: KObject, id: string, agentVersion?: string): Promise<void> {
    const { namespace, name } = dataplane.metadata;
    return this.insights.update(
      namespace!,
      name!,
      (status) => {
        const subs = subscriptionsOf(status);
        const t = this.now().toISOString();
        const sub: Subscription = { id, controlPlaneInstanceId: this.instanceId, connectTime: t, status: { lastUpdateTime: t } };
        if (agentVersion) sub.version = { kumaDp: { version: agentVersion } };
        subs.push(sub);
        while (subs.length > MAX_SUBSCRIPTIONS) {
          const closed = subs.findIndex((s) => s.disconnectTime);
          subs.splice(closed >= 0 ? closed : 0, 1);
        }
        return true;
      },
      dataplane,
    );
  }

  disconnected(namespace: string, name: string, id: string): Promise<void> {
    return this.insights.update(namespace, name, (status) => {
      const sub = subscriptionsOf(status).find((s) => s.id === id);
      if (!sub || sub.disconnectTime) return false;
      sub.disconnectTime = this.now().toISOString();
      return true;
    });
  }

  /** Closes every open subscription of another instance; returns how many insights changed. */
  async closeStale(): Promise<number> {
    let changed = 0;
    for (const dpi of await this.insights.list()) {
      const stale = (s: Subscription) => !s.disconnectTime && s.controlPlaneInstanceId !== this.instanceId;
      const subs = isPlainObject(dpi.status) && Array.isArray(dpi.status.subscriptions) ? dpi.status.subscriptions : [];
      if (!subs.some((s) => isPlainObject(s) && stale(s))) continue;
      const t = this.now().toISOString();
      await this.insights.update(dpi.metadata.namespace!, dpi.metadata.name!, (status) => {
        let any = false;
        for (const s of subscriptionsOf(status)) {
          if (!stale(s)) continue;
          s.disconnectTime = t;
          any = true;
        }
        return any;
      });
      changed++;
    }
    return changed;
  }
}
