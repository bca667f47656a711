// The set of served resources: one ResourceStore per definition, looked up by
// group/version/resource for routing and by group/kind for references.
// Group order is the discovery order (kuma.io before compute before scheduling).

import type { ResourceDefinition } from '../api/definition.js';
import { compileDefinition, type CompiledDefinition } from './compiled-definition.js';
import { ResourceStore, type StoreDeps } from './resource-store.js';

export class Registry {
  private readonly byPath = new Map<string, ResourceStore>();
  private readonly byKind = new Map<string, ResourceStore>();
  private readonly ordered: ResourceStore[] = [];

  constructor(private readonly deps: StoreDeps) {}

  add(def: ResourceDefinition): ResourceStore {
    const cd: CompiledDefinition = compileDefinition(def);
    const store = new ResourceStore(cd, this.deps);
    this.byPath.set(`${def.group}/${def.version}/${def.plural}`, store);
    this.byKind.set(`${def.group}/${def.kind}`, store);
    this.ordered.push(store);
    return store;
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
