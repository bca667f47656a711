// The seam between the client-conformance scenarios and the real clients that
// run them (kubectl, @kubernetes/client-node, the official Python client).
// A driver only translates: each call becomes what a user of that client
// would write, and the answer comes back as plain JSON, so one list of
// scenarios checks every client the same way.

/** Which resource a call is about, with the names each client's typed API uses for core kinds. */
export interface KindRef {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  /** Core kinds have typed APIs: `ConfigMap` → client-node's `createNamespacedConfigMap`, Python's `create_namespaced_config_map` / `V1ConfigMap`. */
  typed?: { js: string; py: string };
}

export const apiVersionOf = (k: KindRef) => (k.group ? `${k.group}/${k.version}` : k.version);

/** The collection path (`/api/v1/namespaces/ns/pods`), or one object's path with `name`. */
export function pathOf(k: KindRef, ns: string | undefined, name?: string): string {
  const base = k.group ? `/apis/${k.group}/${k.version}` : `/api/${k.version}`;
  const scope = k.namespaced && ns ? `/namespaces/${ns}` : '';
  return `${base}${scope}/${k.plural}${name ? `/${name}` : ''}`;
}

// Objects as the clients hand them back: JSON whose shape only the scenarios know.
export type Obj = Record<string, any>;

export type PatchType = 'merge' | 'strategic' | 'json';

export const PATCH_MEDIA_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
};

export interface ListOptions {
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  labelSelector?: string;
}

export interface ListResult {
  items: Obj[];
  /** The list's resourceVersion (kubectl's printed List has none). */
  resourceVersion?: string;
  continue?: string;
  /** Requests the client made for this list (kubectl's --chunk-size pages). */
  requests?: number;
}

/** What a delete answered, where the client lets a caller see it. */
export interface DeleteAnswer {
  /** HTTP status, when the client exposes it. */
  code?: number;
  body?: Obj;
}

export interface WatchEvent {
  type: string;
  name: string;
  resourceVersion: string;
  object: Obj;
}

/** A watch the client runs in the background; `events` grows as events arrive. */
export interface ClientWatch {
  readonly events: WatchEvent[];
  /** Set when the client reported an error (an ERROR event, a failed request). */
  readonly error?: string;
  readonly ended: boolean;
  /**
   * Ends the watch. Where the client can cut its own connection it does; where
   * it cannot (Python's `Watch.stream` only stops between events), the watch
   * was opened with a server-side timeout and this waits for the server to end it.
   */
  disconnect(): Promise<void>;
}

/** A refusal from the server, as the client reported it. */
export class ClientApiError extends Error {
  constructor(
    readonly client: string,
    readonly code: number,
    readonly reason: string,
    /** The server's message, as the client reported it. */
    readonly detail: string,
  ) {
    super(`${client}: ${code} ${reason}: ${detail}`);
  }
}

export interface ClientDriver {
  readonly name: string;
  list(kind: KindRef, ns: string | undefined, opts?: ListOptions): Promise<ListResult>;
  /** Every item of a collection fetched in pages of `limit`, the client's own way. */
  listInChunks(kind: KindRef, ns: string | undefined, limit: number): Promise<ListResult>;
  create(kind: KindRef, ns: string | undefined, body: Obj): Promise<Obj>;
  get(kind: KindRef, ns: string | undefined, name: string): Promise<Obj>;
  patch(kind: KindRef, ns: string | undefined, name: string, type: PatchType, body: unknown): Promise<Obj>;
  replace(kind: KindRef, ns: string | undefined, name: string, body: Obj): Promise<Obj>;
  delete(kind: KindRef, ns: string | undefined, name: string): Promise<DeleteAnswer>;
  /** The client's list-then-watch: a watch that sees every change after its own list. Resolves once established. */
  watchFromList(kind: KindRef, ns: string | undefined): Promise<ClientWatch>;
  /** A watch resumed from a resourceVersion seen earlier, as after a lost connection. */
  watchFrom(kind: KindRef, ns: string | undefined, resourceVersion: string): Promise<ClientWatch>;
  close(): Promise<void>;
}

/** Adds an event to a watch's record unless it is a bookmark (kept out of the comparisons). */
export function recordEvent(into: WatchEvent[], type: string, object: Obj | undefined): void {
  if (type === 'BOOKMARK' || !object) return;
  into.push({ type, name: object.metadata?.name ?? '', resourceVersion: object.metadata?.resourceVersion ?? '', object });
}
