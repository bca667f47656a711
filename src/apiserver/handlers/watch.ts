// Watch over HTTP: events from the watch cache as newline-delimited JSON (or
// Table rows), bookmarks, timeouts. Each event is serialized once per
// encoding for all the watchers it goes to (SharedEncodings); the stream
// batches and bounds what each watcher is sent (WatchStream).

import type { KObject } from '../../api/object.js';
import { ApiError, badRequest, expired } from '../../api/errors.js';
import { exactFieldMatch, parseFieldSelector } from '../../api/field-selector.js';
import type { CompiledDefinition } from '../../registry/compiled-definition.js';
import type { WatchEventType } from '../../registry/resource-store.js';
import type { SharedEncodings } from '../../registry/shared-encoding.js';
import { TooOldError } from '../../registry/watch-cache.js';
import { includeObject, wantsTable, type HandlerContext } from '../request-context.js';
import { checkResourceVersion, listOptionsOf, validateTableOptions, watchTimeoutMs } from '../request-options.js';
import { JSON_TYPE, TABLE_TYPE, toApiError } from '../response.js';
import { toTable } from '../table.js';
import { DEFAULT_WATCH_LIMITS, WatchStream } from '../watch-stream.js';

const BOOKMARK_INTERVAL_MS = 5000;

/**
 * A watch addressed by name (legacy `/watch/.../name`) selects that object,
 * as kube turns the name into `metadata.name=<name>`; a field selector naming
 * another object is a 400.
 */
function namedSelector(ctx: HandlerContext, selector: string | undefined): string | undefined {
  const { info } = ctx;
  if (!info.named || info.name === undefined) return selector;
  if (!selector) return `metadata.name=${info.name.replace(/[\\,=]/g, (c) => `\\${c}`)}`;
  if (exactFieldMatch(parseFieldSelector(selector), 'metadata.name') !== info.name) {
    throw badRequest("fieldSelector metadata.name doesn't match requested name");
  }
  return selector;
}

/** Tells definitions apart in encoding keys (a redefined kind may keep its group/version but change its columns). */
const definitionIds = new WeakMap<CompiledDefinition, number>();
let nextDefinitionId = 0;
function definitionId(cd: CompiledDefinition): number {
  let id = definitionIds.get(cd);
  if (id === undefined) definitionIds.set(cd, (id = nextDefinitionId++));
  return id;
}

const frame = (type: string, object: unknown): Buffer => Buffer.from(`{"type":"${type}","object":${JSON.stringify(object)}}\n`);

export function handleWatch(ctx: HandlerContext): void {
  const { res, query, store } = ctx;
  const table = wantsTable(ctx.req);
  if (table) validateTableOptions(query);
  const include = includeObject(query);
  const cd = store.cd;
  const opts = listOptionsOf(query, true);
  opts.fieldSelector = namedSelector(ctx, opts.fieldSelector);
  checkResourceVersion(opts.resourceVersion, cd.qualified);
  const limits = { ...DEFAULT_WATCH_LIMITS, ...ctx.watch?.limits };
  const timeoutMs = watchTimeoutMs(opts.timeoutSeconds, limits.minRequestTimeoutSeconds);
  res.writeHead(200, { 'Content-Type': table ? TABLE_TYPE : JSON_TYPE, 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache' });
  res.flushHeaders();
  let closed = false;
  let handle: { cancel(): void; revision(): number } | undefined;
  const stream = new WatchStream(res, limits, () => {
    ctx.watch?.onCutOff();
    stop();
  });
  // Encodings shared with the event's other watchers: one per type, format and version.
  const jsonKey = `json\0${cd.gv}\0`;
  const tableKey = `table\0${definitionId(cd)}\0${include}\0`;
  let headerSent = false;
  const encode = (type: WatchEventType, obj: KObject): Buffer => {
    if (!table) return frame(type, obj);
    const t = toTable(cd, [obj], { include, resourceVersion: obj.metadata.resourceVersion, noHeaders: headerSent });
    return frame(type, t);
  };
  const onEvent = (type: WatchEventType, obj: KObject, shared?: SharedEncodings) => {
    if (closed) return;
    // The first Table event carries the column definitions, so it is this watcher's own.
    if (shared && (!table || headerSent)) stream.write(shared.encode((table ? tableKey : jsonKey) + type, () => encode(type, obj)));
    else stream.write(encode(type, obj));
    headerSent = true;
  };
  const stop = () => {
    if (closed) return;
    closed = true;
    clearInterval(bookmarks);
    clearTimeout(timeout);
    handle?.cancel();
  };
  const finish = () => {
    stop();
    stream.end();
  };
  const onError = (err: unknown) => {
    const e = err instanceof TooOldError ? expired(err.message) : err instanceof ApiError ? err : toApiError(err);
    if (!closed) stream.write(frame('ERROR', e.toStatus()));
    finish();
  };
  let lastBookmark = 0;
  const allowBookmarks = opts.allowBookmarks;
  const bookmark = (extra?: Record<string, string>) => {
    const rv = handle?.revision() ?? 0;
    lastBookmark = rv;
    stream.write(frame('BOOKMARK', { kind: cd.def.kind, apiVersion: cd.gv, metadata: { resourceVersion: String(rv), ...(extra ? { annotations: extra } : {}) } }));
  };
  const bookmarks = setInterval(() => {
    if (allowBookmarks && handle && handle.revision() !== lastBookmark) bookmark();
  }, BOOKMARK_INTERVAL_MS);
  // A negative timeout ends the watch at once, as kube's expired timer does.
  const timeout = timeoutMs === undefined ? undefined : setTimeout(finish, timeoutMs);
  res.on('close', finish);
  try {
    handle = store.watch(ctx.info.namespace, opts, { onEvent, onError, onEnd: finish });
    if (opts.sendInitialEvents === true && allowBookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
    stream.goLive();
  } catch (e) {
    onError(e);
  }
}
