// The status conditions kube's namespace controller reports while it empties a
// terminating namespace, so `kubectl describe ns` says what deletion waits on.

import type { KObject } from '../../api/object.js';

export interface Condition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

/** What one deletion pass found. */
export interface DeletionReport {
  /** `resource.group` → objects still present. */
  remaining: Map<string, number>;
  /** finalizer → objects still carrying it. */
  finalizers: Map<string, number>;
  /** Errors listing or deleting, one line per resource. */
  failures: string[];
}

const joined = (m: Map<string, number>, fmt: (k: string, n: number) => string) =>
  [...m.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => fmt(k, n))
    .join(', ');

export function deletionConditions(r: DeletionReport): Condition[] {
  const c = (type: string, on: boolean, reason: [string, string], message: [string, string]): Condition => ({
    type,
    status: on ? 'True' : 'False',
    reason: on ? reason[0] : reason[1],
    message: on ? message[0] : message[1],
  });
  return [
    c('NamespaceDeletionDiscoveryFailure', false, ['DiscoveryFailed', 'ResourcesDiscovered'], ['', 'All resources successfully discovered']),
    c('NamespaceDeletionGroupVersionParsingFailure', false, ['GroupVersionParsingFailed', 'ParsedGroupVersions'], ['', 'All legacy kube types successfully parsed']),
    c(
      'NamespaceDeletionContentFailure',
      r.failures.length > 0,
      ['ContentDeletionFailed', 'ContentDeleted'],
      [`Failed to delete all resource types, ${r.failures.length} remaining: ${r.failures.join(', ')}`, 'All content successfully deleted, may be waiting on finalization'],
    ),
    c(
      'NamespaceContentRemaining',
      r.remaining.size > 0,
      ['SomeResourcesRemain', 'ContentRemoved'],
      [`Some resources are remaining: ${joined(r.remaining, (k, n) => `${k} has ${n} resource instances`)}`, 'All content successfully removed'],
    ),
    c(
      'NamespaceFinalizersRemaining',
      r.finalizers.size > 0,
      ['SomeFinalizersRemain', 'ContentHasNoFinalizers'],
      [`Some content in the namespace has finalizers remaining: ${joined(r.finalizers, (k, n) => `${k} in ${n} resource instances`)}`, 'All content-preserving finalizers finished'],
    ),
  ];
}

/**
 * The namespace's conditions with `wanted` merged in, or undefined when nothing
 * changes (so a pass that learns nothing new writes nothing).
 */
export function mergeConditions(ns: KObject, wanted: Condition[], now: string): Condition[] | undefined {
  const status = (ns.status ?? {}) as { conditions?: Condition[] };
  const current = status.conditions ?? [];
  let changed = false;
  const out = current.filter((c) => !wanted.some((w) => w.type === c.type));
  for (const w of wanted) {
    const old = current.find((c) => c.type === w.type);
    if (old && old.status === w.status && old.reason === w.reason && old.message === w.message) {
      out.push(old);
      continue;
    }
    changed = true;
    out.push({ ...w, lastTransitionTime: old && old.status === w.status ? (old.lastTransitionTime ?? now) : now });
  }
  return changed ? out : undefined;
}
