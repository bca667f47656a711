// When a pod counts as available: Ready for at least minReadySeconds (kube's
// IsPodAvailable), and how long until a ready pod becomes so.

import { isPlainObject, type KObject } from '../../api/object.js';
import { section } from '../../api/core/columns.js';
import { isReady } from '../compute/pod-state.js';

function readySince(pod: KObject): number | undefined {
  const conds = section(pod, 'status').conditions;
  if (!Array.isArray(conds)) return undefined;
  const c = conds.find((x) => isPlainObject(x) && x.type === 'Ready' && x.status === 'True') as Record<string, unknown> | undefined;
  const t = typeof c?.lastTransitionTime === 'string' ? Date.parse(c.lastTransitionTime) : NaN;
  return Number.isNaN(t) ? undefined : t;
}

/** Milliseconds until the pod is available: 0 when it is, undefined when it is not ready at all. */
export function availableInMs(pod: KObject, minReadySeconds: number, now: number): number | undefined {
  if (!isReady(pod)) return undefined;
  if (minReadySeconds <= 0) return 0;
  const since = readySince(pod);
  if (since === undefined) return 0;
  return Math.max(0, since + minReadySeconds * 1000 - now);
}

export const isAvailable = (pod: KObject, minReadySeconds: number, now: number) => availableInMs(pod, minReadySeconds, now) === 0;
