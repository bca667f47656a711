// Applies a proxy's health report to its Dataplane: each inbound's
// `health.ready`, matched by port. `state` stays as declared (the user's or
// the pod controller's); only health is the proxy's to say. Writes happen
// only when something changed, so a proxy repeating itself costs one read.

import { isConflict } from '../../api/errors.js';
import { isPlainObject } from '../../api/object.js';
import type { ResourceClient } from '../../client/types.js';
import type { InboundHealth } from '../protocol/messages.js';

const MAX_ATTEMPTS = 8;

/** Returns whether the Dataplane was written. */
export async function applyInboundHealth(dataplanes: ResourceClient, namespace: string, name: string, report: readonly InboundHealth[]): Promise<boolean> {
  const ready = new Map(report.map((r) => [r.port, r.ready]));
  for (let attempt = 1; ; attempt++) {
    const dp = await dataplanes.get(namespace, name);
    if (!dp) return false;
    const net = isPlainObject(dp.spec) && isPlainObject(dp.spec.networking) ? dp.spec.networking : {};
    const inbounds = Array.isArray(net.inbound) ? net.inbound.filter(isPlainObject) : [];
    let changed = false;
    for (const inb of inbounds) {
      const r = ready.get(inb.port as number);
      if (r === undefined) continue;
      const health = isPlainObject(inb.health) ? inb.health : undefined;
      if (health?.ready === r) continue;
      inb.health = { ...health, ready: r };
      changed = true;
    }
    if (!changed) return false;
    try {
      await dataplanes.update(namespace, dp);
      return true;
    } catch (e) {
      if (!isConflict(e) || attempt >= MAX_ATTEMPTS) throw e;
    }
  }
}
