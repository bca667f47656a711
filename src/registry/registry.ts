// The set of served resources: one ResourceStore per definition, looked up by
// group/version/resource for routing and by group/kind for references.
// Group order is the discovery order (kuma.io before compute before scheduling);
// definitions added at run time (CustomResourceDefinitions) follow the built-in ones.
//
// Run-time changes swap whole stores: a request already holding a store finishes
// against it (storage is shared, so nothing is lost), new requests see the new
// one, and a store that stops being served ends its open watches cleanly.

import type { ResourceDefinition } from '../api/definition.js';
import { compileDefinition, type CompiledDefinition } from './compiled-definition.js';
import { ResourceStore, type StoreDeps } from './resource-store.js';
import { AdmissionChain } from './admission.js';

export type RegistryListener = () => void;

export class Registry {
  private byPath = new Map<string, ResourceStore>();
  private byKind = new Map<string, ResourceStore>();
  private ordered: ResourceStore[] = [];
  private readonly statics: ResourceStore[] = [];
  /** Stores served on behalf of an owner (a CRD's name), in the order owners appeared. */
  private readonly dynamic = new Map<string, ResourceStore[]>();
  private readonly listeners = new Set<RegistryListener>();

  constructor(private readonly deps: StoreDeps) {}

  add(def: ResourceDefinition): ResourceStore {
    const store = this.compile(def, { lazyValidator: true });
    this.statics.push(store);
    this.rebuild();
    return store;
  }

  /**
   * A store for records the API does not serve (or serves elsewhere): same storage,
   * watch cache and write pipeline, no admission. Server code keeps internal
   * allocations in it (a Service's node ports), as kube keeps its range allocations.
   */
  internalStore(def: ResourceDefinition): ResourceStore {
    return new ResourceStore(compileDefinition(def, { lazyValidator: true }), { ...this.deps, admission: new AdmissionChain() });
  }

  private compile(def: ResourceDefinition, opts?: { lazyValidator?: boolean }): ResourceStore {
    const cd: CompiledDefinition = compileDefinition(def, opts);
    return new ResourceStore(cd, this.deps);
  }

  /**
   * Serves exactly `defs` on behalf of `owner`, replacing what it served before.
   * Versions listed first win the group/kind lookup (pass the storage or preferred
   * version first). Stores that are no longer served end their watches.
   */
  setDynamic(owner: string, defs: ResourceDefinition[]): ResourceStore[] {
    const stores = defs.map((d) => this.compile(d));
    const before = this.dynamic.get(owner) ?? [];
    if (stores.length) this.dynamic.set(owner, stores);
    else this.dynamic.delete(owner);
    this.rebuild();
    for (const s of before) s.retire({ successor: stores.find((n) => samePath(n, s)) });
    this.emit();
    return stores;
  }

  removeDynamic(owner: string): void {
    if (this.dynamic.has(owner)) this.setDynamic(owner, []);
  }

  /** Definitions served on behalf of `owner`. */
  dynamicStores(owner: string): ResourceStore[] {
    return this.dynamic.get(owner) ?? [];
  }

  /** Names of the resources compiled into the server in `group` (run-time ones may not take them). */
  builtInNames(group: string): { plural: string; singular: string; shortNames?: string[]; kind: string; listKind: string }[] {
    return this.statics
      .filter((s) => s.def.group === group)
      .map((s) => ({ plural: s.def.plural, singular: s.def.singular, shortNames: s.def.shortNames, kind: s.def.kind, listKind: s.cd.listKind }));
  }

  /** Called after every run-time change of the served set (discovery, OpenAPI). */
  onChange(l: RegistryListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }

  private rebuild(): void {
    const byPath = new Map<string, ResourceStore>();
    const byKind = new Map<string, ResourceStore>();
    const ordered: ResourceStore[] = [];
    const put = (s: ResourceStore) => {
      const path = `${s.def.group}/${s.def.version}/${s.def.plural}`;
      // Built-in resources are never shadowed by run-time ones.
      if (byPath.has(path)) return;
      byPath.set(path, s);
      const kindKey = `${s.def.group}/${s.def.kind}`;
      if (!byKind.has(kindKey)) byKind.set(kindKey, s);
      ordered.push(s);
    };
    for (const s of this.statics) put(s);
    // Run-time groups follow in group-name order (as kube orders CRD groups), whatever order they came in.
    const owners = [...this.dynamic.values()].sort((a, b) => (a[0]!.def.group < b[0]!.def.group ? -1 : a[0]!.def.group > b[0]!.def.group ? 1 : 0));
    for (const stores of owners) for (const s of stores) put(s);
    this.byPath = byPath;
    this.byKind = byKind;
    this.ordered = ordered;
  }

  lookup(group: string, version: string, plural: string): ResourceStore | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  forKind(group: string, kind: string): ResourceStore | undefined {
    return this.byKind.get(`${group}/${kind}`);
  }

  /** `v1` or `apps/v1` style apiVersion + kind. */
  forApiVersionKind(apiVersion: string, kind: string): ResourceStore | undefined {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    return this.forKind(group, kind);
  }

  all(): ResourceStore[] {
    return this.ordered;
  }

  /** Served group/versions in registration order, core (`''`) first. */
  groupVersions(): { group: string; version: string; stores: ResourceStore[] }[] {
    const out = new Map<string, { group: string; version: string; stores: ResourceStore[] }>();
    for (const s of this.ordered) {
      const k = `${s.def.group}/${s.def.version}`;
      let gv = out.get(k);
      if (!gv) out.set(k, (gv = { group: s.def.group, version: s.def.version, stores: [] }));
      gv.stores.push(s);
    }
    return [...out.values()];
  }
}

const samePath = (a: ResourceStore, b: ResourceStore) =>
  a.def.group === b.def.group && a.def.version === b.def.version && a.def.plural === b.def.plural;
