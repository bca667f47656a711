// Where Services' cluster IPs and node ports are recorded, so every API server
// replica sharing storage sees one truth: one record per address, created
// create-if-absent before the Service that takes the address is stored (the
// storage refuses a second record of an address, whichever replica writes it).
// Cluster IPs are IPAddress objects (networking.k8s.io/v1, as kube 1.31+);
// node ports are internal records the API does not serve (kube keeps them in
// a range allocation it does not serve either).

import { Type } from '@sinclair/typebox';
import { defineResource, type OperationContext } from '../../api/definition.js';
import { isAlreadyExists, isConflict, isNotFound } from '../../api/errors.js';
import { isPlainObject, type KObject } from '../../api/object.js';
import { IP_ALLOCATOR, IP_FAMILY_LABEL, IP_MANAGED_BY_LABEL, ipAddressDefinition, parentRefOf } from '../../api/networking/ip-address.js';
import { opt, str } from '../../api/schemas/builders.js';
import type { Registry } from '../../registry/registry.js';
import type { ResourceStore } from '../../registry/resource-store.js';

/** The Service an address belongs to; `uid` tells a re-created Service of the same name from the old one. */
export interface ServiceRef {
  namespace: string;
  name: string;
  uid?: string;
}

export interface AddressRecord {
  holder?: ServiceRef;
  /** The record's own uid: a release names it, so a newer record of the address is never removed. */
  uid: string;
  /** Written by the allocator (not a user's reservation): released and repaired automatically. */
  managed: boolean;
  createdAt: number;
}

export type AddressKind = 'ip' | 'port';

/** A claim's outcome: a new record (with its uid, to undo it), the owner's already, or another's. */
export type Claim = { outcome: 'created'; uid: string } | { outcome: 'owned' } | { outcome: 'taken' };

export interface AddressBook {
  /** Records `address` for `owner` unless another Service's record holds it. */
  claim(kind: AddressKind, address: string, owner: ServiceRef): Promise<Claim>;
  /** The records as the watch cache holds them (a write of another replica shows within milliseconds). */
  records(kind: AddressKind): Promise<Map<string, AddressRecord>>;
  /** Removes the record of `address` if it is still the one with `uid`. */
  release(kind: AddressKind, address: string, uid: string): Promise<void>;
}

export const SERVICE_UID_ANNOTATION = 'workplane.dev/service-uid';

/** Internal: one record per node port in use, named by the port. */
export const nodePortRecordDefinition = defineResource({
  group: 'internal.workplane.dev',
  version: 'v1',
  kind: 'ServiceNodePort',
  plural: 'servicenodeports',
  singular: 'servicenodeport',
  namespaced: false,
  description: 'A node port in use (internal: not served).',
  schema: Type.Object({ spec: opt(Type.Object({ parentRef: opt(Type.Object({ group: opt(str('Group.')), resource: str('Resource.'), namespace: opt(str('Namespace.')), name: str('Name.') }, { description: 'Holder.' })) }, { description: 'Who holds the port.' })) }, { description: 'A ServiceNodePort.' }),
});

const sameService = (a: ServiceRef | undefined, b: ServiceRef) => !!a && a.namespace === b.namespace && a.name === b.name;

function recordOf(o: KObject): AddressRecord {
  const p = parentRefOf(o);
  const holder = p && (p.group ?? '') === '' && p.resource === 'services' ? { namespace: p.namespace ?? '', name: p.name, uid: o.metadata.annotations?.[SERVICE_UID_ANNOTATION] } : undefined;
  return { holder, uid: o.metadata.uid ?? '', managed: o.metadata.labels?.[IP_MANAGED_BY_LABEL] === IP_ALLOCATOR, createdAt: Date.parse(o.metadata.creationTimestamp ?? '') || 0 };
}

/** The AddressBook of `workplane serve`: records in the shared storage, read through the watch cache. */
export class StoredAddressBook implements AddressBook {
  private readonly stores: Record<AddressKind, ResourceStore>;
  // The API server's own identity writes the records (kube's loopback user).
  private readonly ctx: OperationContext & { fieldManager: string } = { user: { username: 'system:apiserver', groups: ['system:masters'] }, dryRun: false, fieldManager: 'kube-apiserver' };

  constructor(registry: Registry) {
    this.stores = { ip: registry.internalStore(ipAddressDefinition), port: registry.internalStore(nodePortRecordDefinition) };
  }

  private body(kind: AddressKind, address: string, owner: ServiceRef): KObject {
    const store = this.stores[kind];
    return {
      apiVersion: store.cd.gv,
      kind: store.def.kind,
      metadata: {
        name: address,
        labels: { [IP_MANAGED_BY_LABEL]: IP_ALLOCATOR, ...(kind === 'ip' ? { [IP_FAMILY_LABEL]: 'IPv4' } : {}) },
        ...(owner.uid ? { annotations: { [SERVICE_UID_ANNOTATION]: owner.uid } } : {}),
      },
      spec: { parentRef: { group: '', resource: 'services', namespace: owner.namespace, name: owner.name } },
    };
  }

  async claim(kind: AddressKind, address: string, owner: ServiceRef): Promise<Claim> {
    const store = this.stores[kind];
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const made = await store.create(undefined, this.body(kind, address, owner), this.ctx);
        return { outcome: 'created', uid: made.obj.metadata.uid! };
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
      }
      const cur = await store.get(undefined, address).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
      if (!cur) continue; // released in between: try again
      const rec = recordOf(cur);
      if (!sameService(rec.holder, owner)) return { outcome: 'taken' };
      // The same Service name again (a retried or re-created Service): the record follows its uid.
      if (owner.uid && rec.holder!.uid !== owner.uid) await this.adopt(store, cur, owner.uid);
      return { outcome: 'owned' };
    }
    return { outcome: 'taken' };
  }

  private async adopt(store: ResourceStore, cur: KObject, uid: string): Promise<void> {
    await store.update(undefined, cur.metadata.name!, (o) => {
      const next = o!;
      next.metadata.annotations = { ...next.metadata.annotations, [SERVICE_UID_ANNOTATION]: uid };
      next.metadata.resourceVersion = cur.metadata.resourceVersion;
      return next;
    }, this.ctx).catch((e) => {
      if (!isConflict(e) && !isNotFound(e)) throw e;
    });
  }

  async records(kind: AddressKind): Promise<Map<string, AddressRecord>> {
    const out = new Map<string, AddressRecord>();
    for (const o of (await this.stores[kind].list(undefined, { resourceVersion: '0' })).items) if (isPlainObject(o.metadata)) out.set(o.metadata.name!, recordOf(o));
    return out;
  }

  async release(kind: AddressKind, address: string, uid: string): Promise<void> {
    try {
      await this.stores[kind].delete(undefined, address, { preconditions: { uid } }, this.ctx);
    } catch (e) {
      if (!isNotFound(e) && !isConflict(e)) throw e;
    }
  }
}
