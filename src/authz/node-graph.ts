// Which objects each node may read, kept from the watch cache's pods as
// kube's node authorizer keeps its graph: a node may read the Secrets,
// ConfigMaps and ServiceAccounts that pods bound to it name, and nothing else
// of those kinds. Counts per (node, reference) so that a pod leaving removes
// exactly what it added; updated synchronously with every pod event, so a
// node's access follows binding and deletion at once.

import type { KObject } from '../api/object.js';
import { podReferences } from '../api/core/pod-references.js';
import type { WatchCache, CacheEvent } from '../registry/watch-cache.js';

export type ReferenceKind = 'secrets' | 'configmaps' | 'serviceaccounts';

interface PodEntry {
  node: string;
  refs: string[];
}

const nodeOf = (pod: KObject) => String((pod.spec as { nodeName?: unknown } | undefined)?.nodeName ?? '');
const refKey = (kind: ReferenceKind, namespace: string, name: string) => `${kind}/${namespace}/${name}`;

export class NodeGraph {
  private readonly pods = new Map<string, PodEntry>();
  private readonly byNode = new Map<string, Map<string, number>>();
  private handle?: { cancel(): void };

  /** Starts following pods under `podsPrefix` (e.g. `/registry/pods/`) in the cache. */
  constructor(
    private readonly cache: WatchCache,
    private readonly podsPrefix: string,
  ) {
    this.follow();
  }

  /** Whether a pod bound to `node` names the object. */
  references(node: string, kind: ReferenceKind, namespace: string, name: string): boolean {
    return (this.byNode.get(node)?.get(refKey(kind, namespace, name)) ?? 0) > 0;
  }

  stop(): void {
    this.handle?.cancel();
  }

  private follow(): void {
    this.pods.clear();
    this.byNode.clear();
    for (const c of this.cache.list(this.podsPrefix)) this.set(c.key, c.obj);
    this.handle = this.cache.watch(this.podsPrefix, this.cache.revision, {
      onEvents: (evs: CacheEvent[]) => {
        for (const e of evs) {
          if (e.type === 'DELETED') this.set(e.key, undefined);
          else this.set(e.key, e.obj);
        }
      },
      // The cache failed: start over from its current state.
      onError: () => queueMicrotask(() => this.follow()),
    });
  }

  private set(key: string, pod: KObject | undefined): void {
    const old = this.pods.get(key);
    if (old) this.count(old, -1);
    const node = pod ? nodeOf(pod) : '';
    if (!pod || !node) {
      this.pods.delete(key);
      return;
    }
    const ns = pod.metadata.namespace ?? '';
    const r = podReferences(pod);
    const refs = [refKey('serviceaccounts', ns, r.serviceAccount)];
    for (const s of r.secrets) refs.push(refKey('secrets', ns, s));
    for (const c of r.configMaps) refs.push(refKey('configmaps', ns, c));
    const entry = { node, refs };
    this.pods.set(key, entry);
    this.count(entry, 1);
  }

  private count(e: PodEntry, delta: number): void {
    let m = this.byNode.get(e.node);
    if (!m) this.byNode.set(e.node, (m = new Map()));
    for (const k of e.refs) {
      const n = (m.get(k) ?? 0) + delta;
      if (n > 0) m.set(k, n);
      else m.delete(k);
    }
    if (m.size === 0) this.byNode.delete(e.node);
  }
}
