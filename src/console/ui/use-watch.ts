// A view's live list: subscribes to the shared watch of a resource type in
// the current namespace and re-renders when it changes. `undefined` means
// the server does not serve the type at all.

import { useEffect, useReducer } from 'preact/hooks';
import { collectionPath, type ResourceType } from '../model/discovery.js';
import type { WatchSnapshot } from '../model/list-watch.js';
import { useSession } from './context.js';

const LOADING: WatchSnapshot = { phase: 'loading', items: [], version: -1 };

/** A live list as a view sees it; `retry` starts it again after it stopped (e.g. once access was granted). */
export interface LiveList extends WatchSnapshot {
  retry(): void;
}

export function useWatch(type: ResourceType | undefined, namespace: string, query?: Record<string, string>): LiveList | undefined {
  const { hub } = useSession();
  const path = type ? collectionPath(type, namespace || undefined) : undefined;
  const qkey = query ? new URLSearchParams(query).toString() : '';
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (!path) return;
    return hub.subscribe(path, query, () => rerender(0));
  }, [hub, path, qkey]);
  if (!path) return undefined;
  return { ...(hub.snapshot(path, query) ?? LOADING), retry: () => hub.retry(path, query) };
}

/** A served type by group and plural name. */
export function useType(group: string, resource: string): ResourceType | undefined {
  return useSession().resources.find(group, resource);
}
