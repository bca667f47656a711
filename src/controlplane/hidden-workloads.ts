// Tells a user who typed the bare `workloads` that other API groups hold
// Workloads the answer leaves out, as kube's `Warning:` response header
// (kubectl prints it on stderr). Only requests to the group the bare name
// resolves to can come from the bare name, so only they are annotated.
// Counts per namespace are kept from the watch cache's event stream, so a
// request costs a map lookup, never a list.

import type { ResourceRequest } from '../apiserver/request-info.js';
import { keyFor, resourcePrefix } from '../registry/keys.js';
import type { Registry } from '../registry/registry.js';
import type { WatchCache } from '../registry/watch-cache.js';
import type { ResourceDefinition } from '../api/definition.js';
import { isWorkloadKind } from './workload-api.js';

/** Objects of one resource per namespace, following ADDED and DELETED events. */
class NamespaceCounts {
  private readonly byNamespace = new Map<string, number>();
  total = 0;

  constructor(private readonly prefix: string) {}

  add(key: string, delta: number): void {
    const ns = key.slice(this.prefix.length, key.indexOf('/', this.prefix.length));
    const n = (this.byNamespace.get(ns) ?? 0) + delta;
    if (n > 0) this.byNamespace.set(ns, n);
    else this.byNamespace.delete(ns);
    this.total += delta;
  }

  in(namespace: string | undefined): number {
    return namespace === undefined ? this.total : (this.byNamespace.get(namespace) ?? 0);
  }
}

interface Other {
  def: ResourceDefinition;
  counts: NamespaceCounts;
}

export function hiddenCountWarning(n: number, def: ResourceDefinition, namespace: string | undefined): string {
  const what = `${n} ${def.group} ${n === 1 ? def.kind : `${def.kind}s`}`;
  const where = namespace === undefined ? 'in any namespace' : `in namespace "${namespace}"`;
  return `${what} ${where} ${n === 1 ? 'is' : 'are'} not shown; use ${def.plural}.${def.group}${shortName(def)}`;
}

export function hiddenNameWarning(def: ResourceDefinition, name: string, namespace: string): string {
  return `a ${def.group} ${def.kind} named "${name}" also exists in namespace "${namespace}"; use ${def.plural}.${def.group}${shortName(def)}`;
}

const shortName = (def: ResourceDefinition) => (def.shortNames?.length ? ` (or ${def.shortNames[0]})` : '');

export class HiddenWorkloads {
  private readonly others: Other[] = [];
  private readonly handles: { cancel(): void }[] = [];

  /** `bareGroup`: the group a bare `workloads` resolves to; the other served Workload groups are counted. */
  constructor(
    private readonly registry: Registry,
    private readonly cache: WatchCache,
    private readonly bareGroup: string | undefined,
  ) {}

  /** Counts what the cache holds, then follows its events. Call once the cache has started. */
  start(): this {
    for (const store of this.registry.all()) {
      const def = store.def;
      if (!isWorkloadKind(def) || def.group === this.bareGroup) continue;
      const prefix = resourcePrefix(def);
      const counts = new NamespaceCounts(prefix);
      // The list and the watch start at the same cache revision (no await between), so nothing is missed or counted twice.
      for (const o of this.cache.list(prefix)) counts.add(o.key, 1);
      this.handles.push(
        this.cache.watch(prefix, this.cache.revision, {
          onEvents: (evs) => {
            for (const e of evs) if (e.type !== 'MODIFIED') counts.add(e.key, e.type === 'ADDED' ? 1 : -1);
          },
          onError: () => {}, // the cache stopped: so has the server
        }),
      );
      this.others.push({ def, counts });
    }
    return this;
  }

  stop(): void {
    for (const h of this.handles) h.cancel();
  }

  /** Warnings for a get or list of the bare-name group's Workloads; empty for anything else. */
  warningsFor(info: ResourceRequest): string[] {
    if (info.group !== this.bareGroup || info.resource !== 'workloads' || info.subresource !== undefined) return [];
    const out: string[] = [];
    if (info.verb === 'list') {
      for (const o of this.others) {
        const n = o.counts.in(info.namespace);
        if (n > 0) out.push(hiddenCountWarning(n, o.def, info.namespace));
      }
    } else if (info.verb === 'get' && info.name !== undefined && info.namespace !== undefined) {
      for (const o of this.others) {
        if (o.counts.in(info.namespace) > 0 && this.cache.get(keyFor(o.def, info.namespace, info.name))) out.push(hiddenNameWarning(o.def, info.name, info.namespace));
      }
    }
    return out;
  }
}
