// The generic store: create, get, list, update, patch, delete and watch for any
// resource definition, over the revisioned key-value store and the watch cache.
// Only this layer converts between storage revisions and resourceVersions.

import type { OperationContext } from '../api/definition.js';
import { ApiError, alreadyExists, badRequest, conflict, notFound, staleConflict } from '../api/errors.js';
import { clone, nowIso, type KObject } from '../api/object.js';
import { isKeyExists, isKeyNotFound, isRevisionMismatch, type KeyValue, type Store } from '../storage/types.js';
import type { AdmissionChain } from './admission.js';
import type { CompiledDefinition } from './compiled-definition.js';
import { keyFor, listPrefix } from './keys.js';
import { buildFilter, decodeContinue, encodeContinue, type ListOptions, type ObjectFilter } from './list-options.js';
import { decodeObject, type CacheEvent, type WatchCache } from './watch-cache.js';
import type { SharedEncodings } from './shared-encoding.js';
import {
  bumpGeneration,
  carryMetadata,
  decodeChecks,
  generateNameSuffix,
  initMetadata,
  meaningfullyDifferent,
  validateObject,
  type WriteOptions,
} from './write-pipeline.js';
import { trackUpdate } from './field-managers.js';

export interface WriteResult {
  obj: KObject;
  warnings: string[];
}

export interface ListResult {
  items: KObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteResult {
  obj: KObject;
  /** False while finalizers or a grace period keep the object. */
  deleted: boolean;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export interface WatchSink {
  /**
   * One event. `shared`, when given, holds the event's encodings shared with every other
   * watcher it goes to: a sink that serializes should make its bytes through it, keyed by
   * everything that makes them differ (type, format, version).
   */
  onEvent(type: WatchEventType, obj: KObject, shared?: SharedEncodings): void;
  onError(err: ApiError | Error): void;
  /** The resource stopped being served (its CRD was deleted): end the stream cleanly. */
  onEnd?(): void;
}

export interface StoreDeps {
  storage: Store;
  cache: WatchCache;
  admission: AdmissionChain;
}

/** Mutator used by update/patch: gets the current object, returns the desired one. */
export type Mutation = (current: KObject | undefined) => KObject | Promise<KObject>;

const MAX_RETRIES = 16;

export class ResourceStore {
  /** apiVersion objects are stored with (a CRD's storage version); reads show the served one. */
  private readonly storageGv: string;
  private readonly watches = new Set<{ cancel(): void; sink: WatchSink }>();
  private retired = false;
  /** The store that replaced this one, once retired. */
  private successor?: ResourceStore;

  constructor(
    readonly cd: CompiledDefinition,
    private readonly deps: StoreDeps,
  ) {
    const d = cd.def;
    this.storageGv = d.storageVersion ? (d.group ? `${d.group}/${d.storageVersion}` : d.storageVersion) : cd.gv;
  }

  get def() {
    return this.cd.def;
  }

  /**
   * The registry stopped serving this store. In-flight requests finish against it;
   * when the resource is gone altogether (not just redefined) open watches end.
   */
  retire(opts: { successor?: ResourceStore }): void {
    this.retired = true;
    this.successor = opts.successor;
    if (opts.successor) {
      // Redefined, not removed: open watches carry on, and end when the successor goes.
      for (const w of this.watches) opts.successor.watches.add(w);
      this.watches.clear();
      return;
    }
    for (const w of [...this.watches]) {
      w.cancel();
      w.sink.onEnd ? w.sink.onEnd() : w.sink.onError(new ApiError(410, 'Gone', `${this.cd.qualified} is no longer served`));
    }
    this.watches.clear();
  }

  get isRetired(): boolean {
    return this.retired;
  }

  /** Objects stored under another version of the kind are shown as this one (conversion strategy None). */
  private served(obj: KObject): KObject {
    return obj.apiVersion === undefined || obj.apiVersion === this.cd.gv ? obj : { ...obj, apiVersion: this.cd.gv };
  }

  private key(ns: string | undefined, name: string) {
    return keyFor(this.cd.def, ns, name);
  }

  private notFound(name: string) {
    return notFound(this.cd.qualified, name, this.cd.def.group);
  }

  private async read(ns: string | undefined, name: string): Promise<{ obj: KObject; kv: KeyValue } | undefined> {
    const kv = await this.deps.storage.get(this.key(ns, name));
    return kv ? { obj: this.served(decodeObject(kv.value, kv.modRevision)), kv } : undefined;
  }

  /** A consistent read served by the watch cache. Callers must not mutate the result. */
  async get(ns: string | undefined, name: string): Promise<KObject> {
    await this.deps.cache.sync();
    const c = this.deps.cache.get(this.key(ns, name));
    if (!c) throw this.notFound(name);
    return this.served(c.obj);
  }

  async list(ns: string | undefined, opts: ListOptions = {}): Promise<ListResult> {
    if (opts.resourceVersion !== '0' || opts.continue) await this.deps.cache.sync();
    const filter = buildFilter(this.cd.def, opts);
    const prefix = listPrefix(this.cd.def, ns);
    const startAfter = opts.continue ? decodeContinue(opts.continue).k : undefined;
    const rv = this.deps.cache.revision;
    const all = this.deps.cache.list(prefix, startAfter);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    const items: KObject[] = [];
    let i = 0;
    for (; i < all.length && items.length < limit; i++) {
      const o = all[i].obj;
      if (!filter || filter(o)) items.push(this.served(o));
    }
    const result: ListResult = { items, resourceVersion: String(rv) };
    if (i < all.length && items.length >= limit) {
      let remaining = 0;
      for (let j = i; j < all.length; j++) if (!filter || filter(all[j].obj)) remaining++;
      if (remaining > 0) {
        result.continue = encodeContinue({ k: all[i - 1].key, rv });
        if (!filter) result.remainingItemCount = remaining;
      }
    }
    return result;
  }

  async create(ns: string | undefined, input: KObject, opts: WriteOptions): Promise<WriteResult> {
    const { def } = this.cd;
    const warnings: string[] = [];
    const obj = input;
    decodeChecks(this.cd, obj, opts, warnings);
    this.checkNamespace(obj, ns);
    if (obj.metadata.resourceVersion) {
      throw badRequest('resourceVersion should not be set on objects to be created');
    }
    const generated = !obj.metadata.name && !!obj.metadata.generateName;
    for (let attempt = 0; ; attempt++) {
      if (generated) obj.metadata.name = `${obj.metadata.generateName}${generateNameSuffix()}`;
      const candidate = attempt === 0 ? obj : clone(obj);
      initMetadata(candidate);
      // As for CRDs, status is not accepted on create for custom kinds; core kinds' strategies reset it.
      if (def.subresources?.status && !def.strategy?.prepareForCreate) delete candidate.status;
      def.strategy?.prepareForCreate?.(candidate, opts);
      await this.deps.admission.admit({ operation: 'CREATE', def, namespace: ns, name: candidate.metadata.name ?? '', obj: candidate, ctx: opts });
      validateObject(this.cd, candidate, undefined, opts);
      await this.deps.admission.validate({ operation: 'CREATE', def, namespace: ns, name: candidate.metadata.name!, obj: candidate, ctx: opts });
      trackUpdate(this.cd, undefined, candidate, opts);
      if (opts.dryRun) return { obj: candidate, warnings };
      try {
        const kv = await this.deps.storage.create(this.key(ns, candidate.metadata.name!), serialize(candidate, this.storageGv));
        candidate.metadata.resourceVersion = String(kv.modRevision);
        return { obj: candidate, warnings };
      } catch (e) {
        if (isKeyExists(e)) {
          if (generated && attempt < 5) continue;
          throw alreadyExists(this.cd.qualified, candidate.metadata.name!, def.group);
        }
        throw e;
      }
    }
  }

  private checkNamespace(obj: KObject, ns: string | undefined): void {
    if (!this.cd.def.namespaced) {
      delete obj.metadata.namespace;
      return;
    }
    if (obj.metadata.namespace && obj.metadata.namespace !== ns) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    obj.metadata.namespace = ns;
  }

  /**
   * The one update path: read the current object, compute the desired one, run the
   * pipeline, write guarded by the revision read. `mutate` runs again on a lost race
   * unless the caller pinned a resourceVersion (then the race is the client's 409).
   */
  async update(
    ns: string | undefined,
    name: string,
    mutate: Mutation,
    opts: WriteOptions & { createIfMissing?: boolean; pinnedVersion?: boolean },
  ): Promise<WriteResult & { created: boolean }> {
    const { def } = this.cd;
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const cur = await this.read(ns, name);
      if (!cur) {
        if (!opts.createIfMissing) throw this.notFound(name);
        const obj = await mutate(undefined);
        obj.metadata.name = name;
        try {
          return { ...(await this.create(ns, obj, opts)), created: true };
        } catch (e) {
          if ((e as ApiError).reason === 'AlreadyExists' && !opts.pinnedVersion) continue;
          throw e;
        }
      }
      const warnings: string[] = [];
      const old = cur.obj;
      // The mutation sees the current resourceVersion, as a patch does in kube (so a JSON
      // patch may test or replace it). A different one on its result was asked for by the
      // client (PUT body, or a patch that sets it) and fails as a precondition; a lost race
      // runs the mutation again on a fresh read, where a pinned version then fails.
      const obj = await mutate(clone(old));
      decodeChecks(this.cd, obj, opts, warnings);
      this.checkNamespace(obj, ns);
      if (obj.metadata.name !== undefined && obj.metadata.name !== name) {
        throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
      }
      obj.metadata.name = name;
      const wanted = obj.metadata.resourceVersion;
      if (wanted && wanted !== old.metadata.resourceVersion) {
        throw staleConflict(this.cd.qualified, name, def.group);
      }
      this.applySubresourceRules(obj, old, opts);
      carryMetadata(obj, old);
      if (old.metadata.deletionTimestamp && (obj.metadata.finalizers ?? []).some((f) => !(old.metadata.finalizers ?? []).includes(f))) {
        throw new ApiError(422, 'Invalid', `${this.cd.qualified} "${name}" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted`);
      }
      if (opts.subresource === undefined) def.strategy?.prepareForUpdate?.(obj, old, opts);
      await this.deps.admission.admit({ operation: 'UPDATE', def, namespace: ns, name, obj, old, ctx: opts });
      validateObject(this.cd, obj, old, opts);
      bumpGeneration(obj, old);
      await this.deps.admission.validate({ operation: 'UPDATE', def, namespace: ns, name, obj, old, ctx: opts });
      trackUpdate(this.cd, old, obj, opts);
      obj.metadata.resourceVersion = old.metadata.resourceVersion;
      if (!meaningfullyDifferent(obj, old)) return { obj: old, warnings, created: false };
      if (opts.dryRun) return { obj, warnings, created: false };
      try {
        if (obj.metadata.deletionTimestamp && this.finalized(obj)) {
          const kv = await this.deps.storage.delete(this.key(ns, name), cur.kv.modRevision);
          obj.metadata.resourceVersion = String(kv.modRevision);
          return { obj, warnings, created: false };
        }
        const kv = await this.deps.storage.update(this.key(ns, name), serialize(obj, this.storageGv), cur.kv.modRevision);
        obj.metadata.resourceVersion = String(kv.modRevision);
        return { obj, warnings, created: false };
      } catch (e) {
        if (isRevisionMismatch(e) || isKeyNotFound(e)) {
          if (opts.pinnedVersion) throw staleConflict(this.cd.qualified, name, def.group);
          continue;
        }
        throw e;
      }
    }
    throw conflict(this.cd.qualified, name, 'too many concurrent updates; please try again', def.group);
  }

  /** status writes change only status; main-resource writes never change status. */
  private applySubresourceRules(obj: KObject, old: KObject, opts: OperationContext): void {
    if (!this.cd.def.subresources?.status) return;
    if (opts.subresource === 'status') {
      const status = obj.status;
      for (const k of Object.keys(obj)) if (k !== 'status' && k !== 'apiVersion' && k !== 'kind') delete obj[k];
      for (const [k, v] of Object.entries(old)) if (k !== 'status') obj[k] = clone(v);
      if (status === undefined) delete obj.status;
      else obj.status = status;
    } else if (opts.subresource === undefined) {
      if (old.status === undefined) delete obj.status;
      else obj.status = clone(old.status);
    }
    // Other subresources (scale, binding, finalize) are written by trusted server code as computed.
  }

  private finalized(obj: KObject): boolean {
    return (obj.metadata.finalizers ?? []).length === 0 && !this.cd.def.strategy?.pendingFinalization?.(obj);
  }

  async delete(ns: string | undefined, name: string, opts: DeleteOptions, ctx: OperationContext): Promise<DeleteResult> {
    const { def } = this.cd;
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const cur = await this.read(ns, name);
      if (!cur) throw this.notFound(name);
      const obj = clone(cur.obj);
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== obj.metadata.uid) {
        throw conflict(this.cd.qualified, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`, def.group);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
        throw conflict(this.cd.qualified, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`, def.group);
      }
      await this.deps.admission.validate({ operation: 'DELETE', def, namespace: ns, name, old: cur.obj, ctx });
      const wasDeleting = !!obj.metadata.deletionTimestamp;
      let changed = false;
      if (!wasDeleting) {
        def.strategy?.prepareForDelete?.(obj);
        const fin = new Set(obj.metadata.finalizers ?? []);
        if (opts.propagationPolicy === 'Foreground') fin.add('foregroundDeletion');
        if (opts.propagationPolicy === 'Orphan') fin.add('orphan');
        if (fin.size) obj.metadata.finalizers = [...fin];
        const grace = def.strategy?.gracefulDeletionSeconds?.(obj, opts.gracePeriodSeconds);
        if (grace && grace > 0) {
          obj.metadata.deletionGracePeriodSeconds = grace;
          obj.metadata.deletionTimestamp = deletionTimestampAfter(grace);
          changed = true;
        } else if (!this.finalized(obj)) {
          obj.metadata.deletionTimestamp = nowIso();
          obj.metadata.deletionGracePeriodSeconds = 0;
          changed = true;
        }
      } else {
        // Already deleting: a shorter grace period (e.g. 0 from the node agent) finishes it.
        const grace = opts.gracePeriodSeconds;
        const waitingOnGrace = (obj.metadata.deletionGracePeriodSeconds ?? 0) > 0;
        if (waitingOnGrace && grace !== undefined && grace < (obj.metadata.deletionGracePeriodSeconds ?? 0)) {
          obj.metadata.deletionGracePeriodSeconds = grace;
          if (grace > 0) obj.metadata.deletionTimestamp = deletionTimestampAfter(grace);
          changed = true;
        }
        if (opts.propagationPolicy === 'Foreground' && !(obj.metadata.finalizers ?? []).includes('foregroundDeletion')) {
          obj.metadata.finalizers = [...(obj.metadata.finalizers ?? []), 'foregroundDeletion'];
          changed = true;
        }
      }
      const removeNow = this.finalized(obj) && (obj.metadata.deletionGracePeriodSeconds ?? 0) === 0;
      if (ctx.dryRun) return { obj, deleted: removeNow };
      try {
        if (removeNow) {
          const kv = await this.deps.storage.delete(this.key(ns, name), cur.kv.modRevision);
          obj.metadata.resourceVersion = String(kv.modRevision);
          return { obj, deleted: true };
        }
        if (!changed) return { obj: cur.obj, deleted: false };
        const kv = await this.deps.storage.update(this.key(ns, name), serialize(obj, this.storageGv), cur.kv.modRevision);
        obj.metadata.resourceVersion = String(kv.modRevision);
        return { obj, deleted: false };
      } catch (e) {
        if (isRevisionMismatch(e)) continue;
        if (isKeyNotFound(e)) throw this.notFound(name);
        throw e;
      }
    }
    throw conflict(this.cd.qualified, name, 'too many concurrent updates; please try again', def.group);
  }

  /**
   * Streams changes. Without a resourceVersion (or "0") the current state comes first
   * as ADDED events. Selector changes become ADDED/DELETED as kube reports them.
   */
  watch(ns: string | undefined, opts: ListOptions & { sendInitialEvents?: boolean }, sink: WatchSink): { cancel(): void; revision: () => number } {
    const cache = this.deps.cache;
    const filter = buildFilter(this.cd.def, opts);
    const prefix = listPrefix(this.cd.def, ns);
    const rvText = opts.resourceVersion;
    let after: number;
    // sendInitialEvents (watch-list) asks for the current state first whatever the resourceVersion; false asks for none.
    if (!rvText || rvText === '0' || opts.sendInitialEvents === true) {
      after = cache.revision;
      if (opts.sendInitialEvents !== false) for (const c of cache.list(prefix)) if (!filter || filter(c.obj)) sink.onEvent('ADDED', this.served(c.obj));
    } else {
      after = Number(rvText);
      if (!Number.isInteger(after) || after < 0) throw badRequest(`invalid resource version: ${rvText}`);
    }
    const out: WatchSink = this.storageGv === this.cd.gv ? sink : { ...sink, onEvent: (t, o, shared) => sink.onEvent(t, this.served(o), shared) };
    const h = cache.watch(prefix, after, {
      onEvents: (evs) => {
        for (const ev of evs) deliver(ev, filter, out);
      },
      onError: (err) => sink.onError(err),
    });
    const entry = { cancel: () => h.cancel(), sink };
    this.watches.add(entry);
    const owner: ResourceStore = this;
    return {
      cancel: () => {
        // The entry may have moved to a successor store since.
        for (let st: ResourceStore | undefined = owner; st; st = st.successor) st.watches.delete(entry);
        h.cancel();
      },
      revision: () => h.revision(),
    };
  }
}

function deliver(ev: CacheEvent, filter: ObjectFilter | undefined, sink: WatchSink): void {
  const shared = ev.shared;
  if (!filter) {
    sink.onEvent(ev.type, ev.obj, shared);
    return;
  }
  const now = ev.type !== 'DELETED' && filter(ev.obj);
  const before = ev.prev ? filter(ev.prev) : false;
  if (ev.type === 'DELETED') {
    if (before || filter(ev.obj)) sink.onEvent('DELETED', ev.obj, shared);
  } else if (now && (before || ev.type === 'ADDED')) sink.onEvent(ev.type, ev.obj, shared);
  else if (now) sink.onEvent('ADDED', ev.obj, shared);
  else if (before) sink.onEvent('DELETED', ev.obj, shared);
}

/** The latest time RFC 3339 (and Go's time.Time in JSON) can write. */
const LAST_TIMESTAMP_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

/** now + `seconds`, as a deletionTimestamp; a grace period too long to write ends at year 9999's last second. */
export function deletionTimestampAfter(seconds: number, now = Date.now()): string {
  const at = Math.min(now + seconds * 1000, LAST_TIMESTAMP_MS);
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The stored form: no resourceVersion (the revision is), apiVersion as `storedAs` when given. */
export function serialize(obj: KObject, storedAs?: string): string {
  const rv = obj.metadata.resourceVersion;
  delete obj.metadata.resourceVersion;
  const s = JSON.stringify(storedAs && storedAs !== obj.apiVersion ? { ...obj, apiVersion: storedAs } : obj);
  if (rv !== undefined) obj.metadata.resourceVersion = rv;
  return s;
}

