// The Client over the registry of the same process: no HTTP, no JSON on the
// wire, the same write pipeline and admission as the API server. Controllers
// inside `workplane serve` use it; they act as a configured user.
//
// Copies: get and list return the caller's own copies (one object, or a list
// that is rare next to informers), so read-modify-write is safe; an informer's
// list (`readOnly`) gets the cache's objects, as its watch events do. Watch events
// are the watch cache's own objects, uncloned: every change reaches every
// informer (the garbage collector watches every resource), so a clone per
// event per informer would cost ~7µs times the number of informers on every
// write in the system. Informer objects are therefore read-only, as in
// controller-runtime; copy them before changing them.

import type { UserInfo } from '../api/definition.js';
import { ApiError, badRequest, expired } from '../api/errors.js';
import { clone, type KObject } from '../api/object.js';
import { patchMutation } from '../registry/patch-mutation.js';
import type { Registry } from '../registry/registry.js';
import type { ResourceStore } from '../registry/resource-store.js';
import { TooOldError } from '../registry/watch-cache.js';
import type { WriteOptions } from '../registry/write-pipeline.js';
import { resourceNotFound } from './errors.js';
import { stderrLogger, type Logger } from './logger.js';
import type {
  Client,
  DeleteOpts,
  GroupVersionResource,
  ListOpts,
  ObjectList,
  PatchType,
  ResourceClient,
  Watch,
  WatchHandler,
  WatchOpts,
  WriteOpts,
} from './types.js';

export const SYSTEM_USER: UserInfo = { username: 'system:workplane', groups: ['system:masters', 'system:authenticated'] };

export interface InProcessClientOptions {
  user?: UserInfo;
  /** The manager recorded in managedFields when a call names none (e.g. the controller's name). */
  fieldManager?: string;
  log?: Logger;
}

const PATCH_MEDIA: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export class InProcessClient implements Client {
  // Weak: stores replaced at run time (CRD changes) must not be kept alive by a client.
  private readonly clients = new WeakMap<ResourceStore, InProcessResourceClient>();
  readonly user: UserInfo;
  readonly fieldManager: string;
  readonly log: Logger;

  constructor(
    readonly registry: Registry,
    opts: InProcessClientOptions = {},
  ) {
    this.user = opts.user ?? SYSTEM_USER;
    this.fieldManager = opts.fieldManager ?? 'workplane';
    this.log = opts.log ?? stderrLogger;
  }

  /** The same registry seen by another user or manager (one client per controller). */
  withOptions(opts: InProcessClientOptions): InProcessClient {
    return new InProcessClient(this.registry, { user: this.user, fieldManager: this.fieldManager, log: this.log, ...opts });
  }

  /** Throws 404 when the resource is not served. */
  resource(gvr: GroupVersionResource): ResourceClient {
    const store = this.registry.lookup(gvr.group, gvr.version, gvr.resource);
    if (!store) throw resourceNotFound();
    return this.clientFor(store);
  }

  forKind(apiVersion: string, kind: string): ResourceClient | undefined {
    const store = this.registry.forApiVersionKind(apiVersion, kind);
    return store ? this.clientFor(store) : undefined;
  }

  resources(): ResourceClient[] {
    return this.registry
      .all()
      // One version per kind: the versions of a CRD share their objects.
      .filter((s) => !s.def.virtual && (s.def.verbs ?? []).includes('list') && (s.def.verbs ?? []).includes('watch'))
      .filter((s) => this.registry.forKind(s.def.group, s.def.kind) === s)
      .map((s) => this.clientFor(s));
  }

  private clientFor(store: ResourceStore): InProcessResourceClient {
    let c = this.clients.get(store);
    if (!c) this.clients.set(store, (c = new InProcessResourceClient(store, this)));
    return c;
  }
}

class InProcessResourceClient implements ResourceClient {
  readonly gvr: GroupVersionResource;
  readonly kind: string;
  readonly namespaced: boolean;

  constructor(
    private readonly store: ResourceStore,
    private readonly owner: InProcessClient,
  ) {
    const d = store.def;
    this.gvr = { group: d.group, version: d.version, resource: d.plural };
    this.kind = d.kind;
    this.namespaced = d.namespaced;
  }

  private opts(o: WriteOpts | undefined, subresource?: string): WriteOptions {
    return {
      user: this.owner.user,
      dryRun: !!o?.dryRun,
      fieldManager: o?.fieldManager ?? this.owner.fieldManager,
      fieldValidation: 'Warn',
      subresource,
    };
  }

  /** Warnings mean a controller wrote fields the schema does not know: a bug worth seeing. */
  private warn(warnings: string[], obj: KObject): void {
    if (warnings.length) this.owner.log.warn({ resource: this.gvr.resource, name: obj.metadata.name, warnings }, 'write pruned unknown fields');
  }

  async get(namespace: string | undefined, name: string): Promise<KObject | undefined> {
    try {
      return clone(await this.store.get(namespace, name));
    } catch (e) {
      if (e instanceof ApiError && e.code === 404) return undefined;
      throw e;
    }
  }

  async list(namespace?: string, opts: ListOpts = {}): Promise<ObjectList> {
    const r = await this.store.list(namespace, opts);
    const out: ObjectList = { items: opts.readOnly ? r.items : r.items.map(clone), resourceVersion: r.resourceVersion };
    if (r.continue) out.continue = r.continue;
    return out;
  }

  async create(namespace: string | undefined, obj: KObject, opts?: WriteOpts): Promise<KObject> {
    const r = await this.store.create(namespace ?? obj.metadata?.namespace, clone(obj), this.opts(opts));
    this.warn(r.warnings, r.obj);
    return r.obj;
  }

  async update(namespace: string | undefined, obj: KObject, opts?: WriteOpts & { subresource?: string }): Promise<KObject> {
    const name = obj.metadata?.name;
    if (!name) throw badRequest('name is required to update an object');
    const r = await this.store.update(namespace ?? obj.metadata.namespace, name, () => clone(obj), this.opts(opts, opts?.subresource));
    this.warn(r.warnings, r.obj);
    return r.obj;
  }

  updateStatus(namespace: string | undefined, obj: KObject, opts?: WriteOpts): Promise<KObject> {
    return this.update(namespace, obj, { ...opts, subresource: 'status' });
  }

  async patch(namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts?: WriteOpts & { subresource?: string }): Promise<KObject> {
    const wo = this.opts(opts, opts?.subresource);
    const { mutate, apply } = patchMutation(this.store.cd, {
      name,
      mediaType: PATCH_MEDIA[type],
      patch,
      manager: wo.fieldManager!,
      force: opts?.force,
      subresource: opts?.subresource,
    });
    const r = await this.store.update(namespace, name, mutate, {
      ...wo,
      createIfMissing: apply && !opts?.subresource,
      skipManagedFields: apply,
    });
    this.warn(r.warnings, r.obj);
    return r.obj;
  }

  async delete(namespace: string | undefined, name: string, opts: DeleteOpts = {}): Promise<KObject> {
    const r = await this.store.delete(namespace, name, opts, { user: this.owner.user, dryRun: false });
    return r.obj;
  }

  watch(namespace: string | undefined, opts: WatchOpts, handler: WatchHandler): Watch {
    let stopped = false;
    let handle: { cancel(): void } | undefined;
    const close = (err?: Error) => {
      if (stopped) return;
      stopped = true;
      handle?.cancel();
      handler.onClose(err);
    };
    try {
      handle = this.store.watch(
        namespace,
        { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, resourceVersion: opts.resourceVersion },
        {
          onEvent: (type, obj) => {
            if (!stopped) handler.onEvent(type, obj);
          },
          onError: (err) => close(err instanceof TooOldError ? Object.assign(expired(err.message), { expired: true }) : err),
          onEnd: () => close(),
        },
      );
      if (stopped) handle.cancel();
    } catch (e) {
      queueMicrotask(() => close(e as Error));
    }
    return {
      stop: () => {
        stopped = true;
        handle?.cancel();
      },
    };
  }
}
