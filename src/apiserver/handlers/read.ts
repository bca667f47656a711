// GET of one object, list, and watch: JSON or Table, from the watch cache.

import type { KObject } from '../../api/object.js';
import { ApiError, badRequest, expired } from '../../api/errors.js';
import { exactFieldMatch, parseFieldSelector } from '../../api/field-selector.js';
import { TooOldError } from '../../registry/watch-cache.js';
import type { WatchEventType } from '../../registry/resource-store.js';
import { includeObject, wantsTable, type HandlerContext } from '../request-context.js';
import { JSON_TYPE, TABLE_TYPE, toApiError, writeJson } from '../response.js';
import { checkResourceVersion, listOptionsOf, validateTableOptions, watchTimeoutMs } from '../request-options.js';
import { toTable } from '../table.js';

export async function handleGet(ctx: HandlerContext): Promise<void> {
  const obj = await ctx.store.get(ctx.info.namespace, ctx.info.name!);
  respondObject(ctx, obj);
}

export function respondObject(ctx: HandlerContext, obj: KObject, code = 200, headers?: Record<string, string>): void {
  if (wantsTable(ctx.req)) {
    validateTableOptions(ctx.query);
    const t = toTable(ctx.store.cd, [obj], { include: includeObject(ctx.query), resourceVersion: obj.metadata.resourceVersion });
    writeJson(ctx.res, code, t, TABLE_TYPE, headers);
  } else writeJson(ctx.res, code, obj, JSON_TYPE, headers);
}

export async function handleList(ctx: HandlerContext): Promise<void> {
  const opts = listOptionsOf(ctx.query);
  checkResourceVersion(opts.resourceVersion, ctx.store.cd.qualified);
  const table = wantsTable(ctx.req);
  if (table) validateTableOptions(ctx.query);
  const r = await ctx.store.list(ctx.info.namespace, opts);
  const cd = ctx.store.cd;
  if (table) {
    const t = toTable(cd, r.items, {
      include: includeObject(ctx.query),
      resourceVersion: r.resourceVersion,
      continue: r.continue,
      remainingItemCount: r.remainingItemCount,
    });
    writeJson(ctx.res, 200, t, TABLE_TYPE);
    return;
  }
  const metadata: Record<string, unknown> = { resourceVersion: r.resourceVersion };
  if (r.continue) metadata.continue = r.continue;
  if (r.remainingItemCount !== undefined) metadata.remainingItemCount = r.remainingItemCount;
  // Items are serialized once each; the envelope is assembled as text to avoid re-walking them.
  const head = JSON.stringify({ kind: cd.listKind, apiVersion: cd.gv, metadata }).slice(0, -1);
  const body = `${head},"items":[${r.items.map((i) => JSON.stringify(withKind(cd.gv, cd.def.kind, i))).join(',')}]}`;
  writeJson(ctx.res, 200, body);
}

const withKind = (apiVersion: string, kind: string, o: KObject) => (o.kind ? o : { apiVersion, kind, ...o });

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

export function handleWatch(ctx: HandlerContext): void {
  const { res, query, store } = ctx;
  const table = wantsTable(ctx.req);
  if (table) validateTableOptions(query);
  const include = includeObject(query);
  const cd = store.cd;
  const opts = listOptionsOf(query, true);
  opts.fieldSelector = namedSelector(ctx, opts.fieldSelector);
  checkResourceVersion(opts.resourceVersion, cd.qualified);
  const timeoutMs = watchTimeoutMs(opts.timeoutSeconds);
  res.writeHead(200, { 'Content-Type': table ? TABLE_TYPE : JSON_TYPE, 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache' });
  res.flushHeaders();
  let closed = false;
  let headerSent = false;
  const write = (type: string, object: unknown) => {
    // The server may end the response itself at shutdown (ApiServer.endWatches).
    if (!closed && !res.writableEnded) res.write(`${JSON.stringify({ type, object })}\n`);
  };
  const objectFor = (obj: KObject) => {
    if (!table) return obj;
    const t = toTable(cd, [obj], { include, resourceVersion: obj.metadata.resourceVersion, noHeaders: headerSent });
    headerSent = true;
    return t;
  };
  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(bookmarks);
    clearTimeout(timeout);
    handle?.cancel();
    if (!res.writableEnded) res.end();
  };
  const onError = (err: unknown) => {
    const e = err instanceof TooOldError ? expired(err.message) : err instanceof ApiError ? err : toApiError(err);
    write('ERROR', e.toStatus());
    finish();
  };
  let lastBookmark = 0;
  const allowBookmarks = opts.allowBookmarks;
  const bookmark = (extra?: Record<string, string>) => {
    const rv = handle?.revision() ?? 0;
    lastBookmark = rv;
    write('BOOKMARK', { kind: cd.def.kind, apiVersion: cd.gv, metadata: { resourceVersion: String(rv), ...(extra ? { annotations: extra } : {}) } });
  };
  const bookmarks = setInterval(() => {
    if (allowBookmarks && handle && handle.revision() !== lastBookmark) bookmark();
  }, BOOKMARK_INTERVAL_MS);
  // A negative timeout ends the watch at once, as kube's expired timer does.
  const timeout = timeoutMs === undefined ? undefined : setTimeout(finish, timeoutMs);
  res.on('close', finish);
  let handle: { cancel(): void; revision(): number } | undefined;
  try {
    handle = store.watch(ctx.info.namespace, opts, {
      onEvent: (type: WatchEventType, obj: KObject) => write(type, objectFor(obj)),
      onError,
      onEnd: finish,
    });
    if (opts.sendInitialEvents === true && allowBookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
  } catch (e) {
    onError(e);
  }
}
