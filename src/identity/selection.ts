// Which MeshIdentity a dataplane gets (spec, as Kuma): among the identities
// of its mesh whose matchLabels are all among its labels, the one with the
// most matchLabels wins; ties go to the name that sorts first. An identity
// without a dataplane selector selects nothing; empty matchLabels select all.

import { meshOf } from '../api/kuma/labels.js';
import type { KObject } from '../api/object.js';

export interface Selectable {
  name: string;
  mesh: string;
  matchLabels?: Record<string, string>;
}

export function selects(identity: Selectable, mesh: string, labels: Record<string, string>): boolean {
  if (identity.mesh !== mesh || !identity.matchLabels) return false;
  for (const k in identity.matchLabels) if (labels[k] !== identity.matchLabels[k]) return false;
  return true;
}

/** The winning identity among `candidates` for a dataplane with these labels, or undefined. */
export function selectIdentity<T extends Selectable>(labels: Record<string, string>, mesh: string, candidates: Iterable<T>): T | undefined {
  let best: T | undefined;
  let bestCount = -1;
  for (const c of candidates) {
    if (!selects(c, mesh, labels)) continue;
    const count = Object.keys(c.matchLabels!).length;
    if (count > bestCount || (count === bestCount && c.name < best!.name)) {
      best = c;
      bestCount = count;
    }
  }
  return best;
}

/** selectIdentity for a Dataplane object (its labels and kuma.io/mesh). */
export function selectIdentityFor<T extends Selectable>(dp: KObject, candidates: Iterable<T>): T | undefined {
  return selectIdentity(dp.metadata.labels ?? {}, meshOf(dp), candidates);
}
