// What a meshed pod's proxy reports as its inbounds' health: one entry per
// distinct TCP container port (the inbounds the pod's Dataplane declares),
// ready when the container owning the port is ready and so is the pod.
// The pod's Ready condition is part of it because the control plane writes
// the pod's readiness into the Dataplane too; a report that disagreed with
// it would have the two rewrite each other's value forever.

import { isPlainObject, type KObject } from '../../api/object.js';
import type { InboundHealth } from '../../dp/protocol/messages.js';

type Rec = Record<string, unknown>;
const recs = (v: unknown): Rec[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);

export function podInboundHealth(pod: KObject): InboundHealth[] {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const status = isPlainObject(pod.status) ? pod.status : {};
  const podReady = !pod.metadata.deletionTimestamp && recs(status.conditions).some((c) => c.type === 'Ready' && c.status === 'True');
  const readyContainers = new Set(recs(status.containerStatuses).filter((s) => s.ready === true).map((s) => s.name));
  const seen = new Set<number>();
  const out: InboundHealth[] = [];
  for (const c of recs(spec.containers)) {
    for (const p of recs(c.ports)) {
      const port = p.containerPort;
      if (typeof port !== 'number' || seen.has(port) || (p.protocol !== undefined && p.protocol !== 'TCP')) continue;
      seen.add(port);
      out.push({ port, ready: podReady && readyContainers.has(c.name) });
    }
  }
  return out;
}
