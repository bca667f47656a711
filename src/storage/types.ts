// The revisioned key-value store contract, modelled on etcd v3. Every backend
// (memory, sqlite, etcd) implements `Store`; the API server sees nothing else.
// Revisions are cluster-wide, strictly increasing integers; the revision of the
// write that last touched a key is that key's `modRevision` and becomes the
// object's resourceVersion above this layer.

export interface KeyValue {
  key: string;
  /** UTF-8 JSON text of the object (the store does not interpret it). */
  value: string;
  createRevision: number;
  modRevision: number;
}

export interface RangeOptions {
  /** Return at most this many items (0 or undefined: all). */
  limit?: number;
  /** Only keys strictly greater than this one (for pagination). */
  startAfter?: string;
}

export interface RangeResult {
  items: KeyValue[];
  /** The store revision at which the range was read. */
  revision: number;
  /** True when more keys under the prefix follow the last returned one. */
  more: boolean;
}

export type WatchEvent =
  | { type: 'put'; kv: KeyValue; prev?: KeyValue }
  | { type: 'delete'; kv: KeyValue; prev: KeyValue };
/* For 'delete', `kv.modRevision` is the revision of the deletion, and
   `kv.value` is the value the key held before it was deleted (same as prev.value). */

export interface WatchHandle {
  cancel(): void;
}

export interface WatchCallbacks {
  /** Events arrive in revision order, each exactly once. */
  onEvents(events: WatchEvent[]): void;
  /** Called at most once; the watch is over afterwards. A `CompactedError` means
   * the start revision is no longer available. */
  onError(err: Error): void;
  /** Optional: the store's revision has advanced to at least `revision` (no
   * events under the prefix below it remain unsent). Used for bookmarks. */
  onProgress?(revision: number): void;
}

export interface Store {
  readonly name: string;
  get(key: string): Promise<KeyValue | undefined>;
  /** All keys that start with `prefix`, in ascending byte order. */
  range(prefix: string, opts?: RangeOptions): Promise<RangeResult>;
  /** Count keys that start with prefix. */
  count(prefix: string): Promise<number>;
  /** Create `key` if absent; throws KeyExistsError otherwise. */
  create(key: string, value: string): Promise<KeyValue>;
  /** Replace `key` if its modRevision equals `expectedRevision`; throws
   * RevisionMismatchError (carrying the current KeyValue) or KeyNotFoundError. */
  update(key: string, value: string, expectedRevision: number): Promise<KeyValue>;
  /** Delete `key` (if `expectedRevision` is given, only at that revision).
   * Returns the deleted KeyValue with modRevision = the deletion's revision. */
  delete(key: string, expectedRevision?: number): Promise<KeyValue>;
  /** Stream every change under `prefix` with revision > `afterRevision`. */
  watch(prefix: string, afterRevision: number, cb: WatchCallbacks): WatchHandle;
  /** Forget history at or below `revision`; watches from before it fail with CompactedError. */
  compact(revision: number): Promise<void>;
  /** The latest revision (0 for an empty store). */
  currentRevision(): Promise<number>;
  /** The oldest revision a watch can still start after. */
  compactedRevision(): Promise<number>;
  close(): Promise<void>;
}

export class StorageError extends Error {}
export class KeyExistsError extends StorageError {
  constructor(readonly key: string, readonly current?: KeyValue) {
    super(`key exists: ${key}`);
  }
}
export class KeyNotFoundError extends StorageError {
  constructor(readonly key: string) {
    super(`key not found: ${key}`);
  }
}
export class RevisionMismatchError extends StorageError {
  constructor(readonly key: string, readonly current: KeyValue) {
    super(`revision mismatch on ${key}: now at ${current.modRevision}`);
  }
}
export class CompactedError extends StorageError {
  constructor(readonly requested: number, readonly compacted: number) {
    super(`required revision ${requested} has been compacted (oldest available: ${compacted})`);
  }
}
/** The backend refused a write because the key and value exceed its request size limit. */
export class ValueTooLargeError extends StorageError {
  constructor(readonly key: string, readonly bytes: number, why: string) {
    super(`the object is too large to store (${bytes} bytes): ${why}`);
  }
}
export class StoreClosedError extends StorageError {
  constructor() {
    super('store is closed');
  }
}

export const isKeyExists = (e: unknown): e is KeyExistsError => e instanceof KeyExistsError;
export const isKeyNotFound = (e: unknown): e is KeyNotFoundError => e instanceof KeyNotFoundError;
export const isRevisionMismatch = (e: unknown): e is RevisionMismatchError => e instanceof RevisionMismatchError;
export const isValueTooLarge = (e: unknown): e is ValueTooLargeError => e instanceof ValueTooLargeError;
export const isCompacted = (e: unknown): e is CompactedError => e instanceof CompactedError;

/** The first key after every key with this prefix (for range ends). */
export function prefixEnd(prefix: string): string {
  return prefix + '\uffff';
}
