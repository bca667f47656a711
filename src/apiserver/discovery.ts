// API discovery, aggregated (apidiscovery.k8s.io/v2, what kubectl 1.32 asks for
// first) and legacy (APIVersions, APIGroupList, APIResourceList). Documents are
// built once per registry change and served from memory.

import type { Registry } from '../registry/registry.js';
import type { ResourceStore } from '../registry/resource-store.js';

const subresourceVerbs: Record<string, string[]> = {
  status: ['get', 'patch', 'update'],
  scale: ['get', 'patch', 'update'],
  log: ['get'],
  binding: ['create'],
  eviction: ['create'],
  token: ['create'],
  finalize: ['update'],
  exec: ['create', 'get'],
};

function subresourcesOf(s: ResourceStore): string[] {
  const d = s.def;
  const subs: string[] = [];
  if (d.subresources?.status) subs.push('status');
  if (d.subresources?.scale) subs.push('scale');
  for (const x of d.extraSubresources ?? []) if (!subs.includes(x)) subs.push(x);
  return subs;
}

function subresourceKind(s: ResourceStore, sub: string): { group: string; version: string; kind: string } {
  const d = s.def;
  if (sub === 'scale') return { group: 'autoscaling', version: 'v1', kind: 'Scale' };
  if (sub === 'token') return { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' };
  if (sub === 'binding') return { group: '', version: 'v1', kind: 'Binding' };
  if (sub === 'eviction') return { group: 'policy', version: 'v1', kind: 'Eviction' };
  if (sub === 'log') return { group: '', version: 'v1', kind: 'Pod' };
  return { group: d.group, version: d.version, kind: d.kind };
}

export class Discovery {
  private cache?: { aggregatedApi: string; aggregatedApis: string; api: string; apis: string; resourceLists: Map<string, string> };

  constructor(
    private readonly registry: Registry,
    private readonly serverAddress: () => string,
  ) {
    // CRDs come and go at run time; the next request rebuilds the documents.
    registry.onChange(() => this.invalidate());
  }

  invalidate(): void {
    this.cache = undefined;
  }

  private build() {
    const gvs = this.registry.groupVersions();
    const resourceLists = new Map<string, string>();
    const aggregated = new Map<string, Record<string, unknown>>();
    const groups: Record<string, unknown>[] = [];
    for (const gv of gvs) {
      const gvName = gv.group ? `${gv.group}/${gv.version}` : gv.version;
      const legacy: Record<string, unknown>[] = [];
      const agg: Record<string, unknown>[] = [];
      for (const s of gv.stores) {
        const d = s.def;
        const verbs = d.verbs ?? [];
        legacy.push({
          name: d.plural,
          singularName: d.singular,
          namespaced: d.namespaced,
          kind: d.kind,
          verbs,
          ...(d.shortNames?.length ? { shortNames: d.shortNames } : {}),
          ...(d.categories?.length ? { categories: d.categories } : {}),
        });
        const subs = subresourcesOf(s);
        for (const sub of subs) {
          const k = subresourceKind(s, sub);
          legacy.push({ name: `${d.plural}/${sub}`, singularName: '', namespaced: d.namespaced, ...(k.group !== d.group ? { group: k.group, version: k.version } : {}), kind: k.kind, verbs: subresourceVerbs[sub] ?? ['get'] });
        }
        agg.push({
          resource: d.plural,
          responseKind: { group: d.group, version: d.version, kind: d.kind },
          scope: d.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: d.singular,
          verbs,
          ...(d.shortNames?.length ? { shortNames: d.shortNames } : {}),
          ...(d.categories?.length ? { categories: d.categories } : {}),
          ...(subs.length
            ? { subresources: subs.map((sub) => ({ subresource: sub, responseKind: subresourceKind(s, sub), verbs: subresourceVerbs[sub] ?? ['get'] })) }
            : {}),
        });
      }
      resourceLists.set(gv.group ? `/apis/${gvName}` : `/api/${gv.version}`, JSON.stringify({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gvName, resources: legacy }));
      let group = aggregated.get(gv.group);
      if (!group) {
        group = { metadata: gv.group ? { name: gv.group } : {}, versions: [] };
        aggregated.set(gv.group, group);
        if (gv.group) groups.push({ name: gv.group, versions: [], preferredVersion: { groupVersion: gvName, version: gv.version } });
      }
      (group.versions as unknown[]).push({ version: gv.version, resources: agg, freshness: 'Current' });
      if (gv.group) {
        const g = groups.find((x) => x.name === gv.group)!;
        (g.versions as unknown[]).push({ groupVersion: gvName, version: gv.version });
      }
    }
    const list = (items: unknown[]) => JSON.stringify({ kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items });
    const core = aggregated.get('');
    const nonCore = [...aggregated.entries()].filter(([g]) => g !== '').map(([, v]) => v);
    return {
      aggregatedApi: list(core ? [core] : []),
      aggregatedApis: list(nonCore),
      api: JSON.stringify({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: this.serverAddress() }] }),
      apis: JSON.stringify({ kind: 'APIGroupList', apiVersion: 'v1', groups }),
      resourceLists,
    };
  }

  private get docs() {
    return (this.cache ??= this.build());
  }

  /** Aggregated (v2) discovery for `/api` or `/apis`. */
  aggregated(path: '/api' | '/apis'): string {
    return path === '/api' ? this.docs.aggregatedApi : this.docs.aggregatedApis;
  }

  legacy(path: '/api' | '/apis'): string {
    return path === '/api' ? this.docs.api : this.docs.apis;
  }

  resourceList(path: string): string | undefined {
    return this.docs.resourceLists.get(path);
  }
}

/** True when the client accepts aggregated discovery (kubectl 1.32 always does). */
export function wantsAggregated(accept: string | undefined): boolean {
  return !!accept && accept.includes('as=APIGroupDiscoveryList');
}
