// Status conditions as controllers keep them: lastTransitionTime moves only
// when a condition's status flips, so rewriting an unchanged observation
// changes nothing and costs no write.

import { isPlainObject } from '../../api/object.js';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

export function readConditions(status: unknown): Condition[] {
  const list = isPlainObject(status) ? status.conditions : undefined;
  return Array.isArray(list) ? (list.filter((c) => isPlainObject(c) && typeof c.type === 'string') as unknown as Condition[]) : [];
}

/**
 * The conditions to write: `wanted` in its order (each keeping the old
 * lastTransitionTime when its status is unchanged), without the types in
 * `remove`; conditions of other types are kept as they are.
 */
export function mergeConditions(old: Condition[], wanted: Omit<Condition, 'lastTransitionTime'>[], remove: string[], now: string): Condition[] {
  const owned = new Set([...wanted.map((c) => c.type), ...remove]);
  const out: Condition[] = [];
  for (const w of wanted) {
    const prev = old.find((c) => c.type === w.type);
    const c: Condition = { type: w.type, status: w.status };
    if (w.reason !== undefined) c.reason = w.reason;
    if (w.message !== undefined) c.message = w.message;
    c.lastTransitionTime = prev && prev.status === w.status && prev.lastTransitionTime ? prev.lastTransitionTime : now;
    if (w.observedGeneration !== undefined) c.observedGeneration = w.observedGeneration;
    out.push(c);
  }
  for (const c of old) if (!owned.has(c.type)) out.push(c);
  return out;
}
