// The page's copy of one list: the objects of a LIST, then kept current by
// the events of a WATCH from the list's resourceVersion, as an informer's
// store is. resourceVersion is opaque here (never compared): it only says
// where the next watch resumes. A 410 (Expired/Gone) means the server no
// longer has history from there, and the only way on is a fresh LIST.

import type { KObject } from '../../api/object.js';
import type { ApiStatus, WatchEvent } from './watch-lines.js';

export interface KubeList {
  metadata?: { resourceVersion?: string };
  items?: KObject[];
}

export type EventOutcome =
  | { kind: 'changed' }
  | { kind: 'unchanged' }
  | { kind: 'relist'; message: string }
  | { kind: 'error'; status: ApiStatus };

/** The store key kube's informers use: namespace/name, or name for cluster-scoped objects. */
export function objectKey(o: KObject): string {
  const ns = o.metadata.namespace;
  return ns ? `${ns}/${o.metadata.name ?? ''}` : (o.metadata.name ?? '');
}

/** True for the statuses that mean "your resourceVersion is too old: list again". */
export function isExpired(s: ApiStatus): boolean {
  return s.code === 410 || s.reason === 'Expired' || s.reason === 'Gone';
}

export class ListState {
  private readonly objects = new Map<string, KObject>();
  private rv = '';
  private cached: KObject[] | undefined;
  /** Bumped on every change to the objects, so views can tell a new snapshot cheaply. */
  version = 0;

  get resourceVersion(): string {
    return this.rv;
  }

  get size(): number {
    return this.objects.size;
  }

  get(key: string): KObject | undefined {
    return this.objects.get(key);
  }

  /** The objects, sorted by key; the same array until something changes. */
  items(): readonly KObject[] {
    if (!this.cached) this.cached = [...this.objects.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, o]) => o);
    return this.cached;
  }

  /** Replaces everything with a LIST's result; the watch resumes from its resourceVersion. */
  replace(list: KubeList): void {
    this.objects.clear();
    for (const o of list.items ?? []) this.objects.set(objectKey(o), o);
    this.rv = list.metadata?.resourceVersion ?? '';
    this.touch();
  }

  /** Applies one watch event. Every event that carries a resourceVersion moves the resume point. */
  apply(ev: WatchEvent): EventOutcome {
    if (ev.type === 'ERROR') {
      if (isExpired(ev.object)) return { kind: 'relist', message: ev.object.message ?? 'resourceVersion expired' };
      return { kind: 'error', status: ev.object };
    }
    const o = ev.object;
    const rv = o.metadata.resourceVersion;
    if (rv) this.rv = rv;
    switch (ev.type) {
      case 'BOOKMARK':
        return { kind: 'unchanged' };
      case 'ADDED':
      case 'MODIFIED':
        this.objects.set(objectKey(o), o);
        break;
      case 'DELETED':
        if (!this.objects.delete(objectKey(o))) return { kind: 'unchanged' };
        break;
    }
    this.touch();
    return { kind: 'changed' };
  }

  private touch(): void {
    this.cached = undefined;
    this.version++;
  }
}
