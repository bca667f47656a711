// What the API serves, from aggregated discovery (apidiscovery.k8s.io/v2, two
// requests for everything): the resource browser lists it, and each view asks
// it whether the kinds it shows are served at all (groups can be switched off
// with --runtime-config) and builds its URLs from it.

export interface ResourceType {
  group: string;
  version: string;
  /** Plural resource name as in URLs (`pods`). */
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: readonly string[];
  shortNames: readonly string[];
}

export const DISCOVERY_ACCEPT = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

interface AggregatedResource {
  resource?: string;
  responseKind?: { kind?: string };
  scope?: string;
  verbs?: string[];
  shortNames?: string[];
}
interface AggregatedList {
  kind?: string;
  items?: { metadata?: { name?: string }; versions?: { version?: string; resources?: AggregatedResource[] }[] }[];
}

/** Resource types of an APIGroupDiscoveryList, the preferred (first) version of each group only. */
export function parseAggregatedDiscovery(doc: unknown): ResourceType[] {
  const list = doc as AggregatedList;
  if (list?.kind !== 'APIGroupDiscoveryList' || !Array.isArray(list.items)) throw new Error('discovery: the server did not answer with an APIGroupDiscoveryList');
  const out: ResourceType[] = [];
  for (const g of list.items) {
    const group = g.metadata?.name ?? '';
    const v = g.versions?.[0];
    if (!v?.version) continue;
    for (const r of v.resources ?? []) {
      if (!r.resource || !r.responseKind?.kind) continue;
      out.push({
        group,
        version: v.version,
        resource: r.resource,
        kind: r.responseKind.kind,
        namespaced: r.scope === 'Namespaced',
        verbs: r.verbs ?? [],
        shortNames: r.shortNames ?? [],
      });
    }
  }
  return out;
}

export class ApiResources {
  constructor(readonly all: readonly ResourceType[]) {}

  find(group: string, resource: string): ResourceType | undefined {
    return this.all.find((t) => t.group === group && t.resource === resource);
  }

  /** The type whose objects have this apiVersion and kind (for YAML documents and owner references). */
  forKind(apiVersion: string, kind: string): ResourceType | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    return this.all.find((t) => t.group === group && t.kind === kind && t.version === version) ?? this.all.find((t) => t.group === group && t.kind === kind);
  }

  /** Types a browser can show live: those that can be listed and watched. */
  watchable(): ResourceType[] {
    return this.all.filter((t) => t.verbs.includes('list') && t.verbs.includes('watch'));
  }
}

export const apiVersionOf = (t: ResourceType): string => (t.group ? `${t.group}/${t.version}` : t.version);

/** `/api/v1` or `/apis/GROUP/VERSION`. */
export const groupVersionPath = (t: Pick<ResourceType, 'group' | 'version'>): string => (t.group ? `/apis/${t.group}/${t.version}` : `/api/${t.version}`);

/** The collection URL; namespaced types without a namespace mean all namespaces. */
export function collectionPath(t: ResourceType, namespace?: string): string {
  const ns = t.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${groupVersionPath(t)}${ns}/${t.resource}`;
}

export function objectPath(t: ResourceType, namespace: string | undefined, name: string): string {
  if (t.namespaced && !namespace) throw new Error(`${t.resource} are namespaced: a namespace is needed`);
  return `${collectionPath(t, namespace)}/${encodeURIComponent(name)}`;
}

/** `kind.group` for display (`Workload.compute.miloapis.com`), plain kind for core types. */
export const qualifiedKind = (t: ResourceType): string => (t.group ? `${t.kind}.${t.group}` : t.kind);
