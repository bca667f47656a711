// The client interface controllers see. Two implementations: in-process (calls
// the registry directly) and HTTP (any Kubernetes-compatible API server), so a
// controller runs unchanged inside `workplane serve` or against a remote server.

import type { KObject } from '../api/object.js';

export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

export interface ListOpts {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  /**
   * The caller only reads the items (an informer): an in-process client may then hand out
   * the watch cache's own objects instead of copies, as it does for watch events.
   */
  readOnly?: boolean;
}

export interface ObjectList {
  items: KObject[];
  resourceVersion: string;
  continue?: string;
}

export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

export interface WriteOpts {
  fieldManager?: string;
  dryRun?: boolean;
  /** Server-side apply only. */
  force?: boolean;
}

export interface DeleteOpts {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface WatchOpts extends ListOpts {
  allowBookmarks?: boolean;
  /** Server-side timeout; the HTTP client picks 5-10 minutes when unset. */
  timeoutSeconds?: number;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchHandler {
  onEvent(type: WatchEventType, obj: KObject): void;
  /** The watch ended (error, 410 Expired, or closed). `expired` means re-list. */
  onClose(err?: Error & { expired?: boolean }): void;
}

export interface Watch {
  stop(): void;
}

/** One resource (optionally bound to a namespace by the caller per call). */
export interface ResourceClient {
  readonly gvr: GroupVersionResource;
  readonly kind: string;
  readonly namespaced: boolean;
  /** Returns undefined when not found. The result is the caller's own copy. */
  get(namespace: string | undefined, name: string): Promise<KObject | undefined>;
  /** Items carry apiVersion and kind, and are the caller's own copies. */
  list(namespace?: string, opts?: ListOpts): Promise<ObjectList>;
  create(namespace: string | undefined, obj: KObject, opts?: WriteOpts): Promise<KObject>;
  /**
   * PUT guarded by obj.metadata.resourceVersion (409 Conflict when stale).
   * `subresource` writes through a custom subresource such as a Namespace's
   * `finalize` (PUT .../namespaces/x/finalize over HTTP).
   */
  update(namespace: string | undefined, obj: KObject, opts?: WriteOpts & { subresource?: string }): Promise<KObject>;
  updateStatus(namespace: string | undefined, obj: KObject, opts?: WriteOpts): Promise<KObject>;
  patch(namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts?: WriteOpts & { subresource?: string }): Promise<KObject>;
  /** Resolves with the object as left by the delete; rejects 404 when absent. */
  delete(namespace: string | undefined, name: string, opts?: DeleteOpts): Promise<KObject>;
  /**
   * Events may arrive before watch() returns (in-process replay). Objects are
   * shared with the client's cache: read-only. onClose is not called after stop().
   */
  watch(namespace: string | undefined, opts: WatchOpts, handler: WatchHandler): Watch;
}

export interface Client {
  /** By group/version/resource, e.g. {group: '', version: 'v1', resource: 'pods'}. */
  resource(gvr: GroupVersionResource): ResourceClient;
  /** By apiVersion + kind (`v1`, `Pod`); undefined when the kind is not served. */
  forKind(apiVersion: string, kind: string): ResourceClient | undefined;
  /** Every served resource that supports list+watch (for the garbage collector). */
  resources(): ResourceClient[];
}
