// GET of one object, list, and watch: JSON or Table, from the watch cache.

import type { KObject } from '../../api/object.js';
import { ApiError, expired } from '../../api/errors.js';
import type { ListOptions } from '../../registry/list-options.js';
import { TooOldError } from '../../registry/watch-cache.js';
import type { WatchEventType } from '../../registry/resource-store.js';
import { includeObject, wantsTable, type HandlerContext } from '../request-context.js';
import { JSON_TYPE, TABLE_TYPE, toApiError, writeJson } from '../response.js';
import { toTable } from '../table.js';

export async function handleGet(ctx: HandlerContext): Promise<void> {
  const obj = await ctx.store.get(ctx.info.namespace, ctx.info.name!);
  respondObject(ctx, obj);
}

export function respondObject(ctx: HandlerContext, obj: KObject, code = 200, headers?: Record<string, string>): void {
  if (wantsTable(ctx.req)) {
    const t = toTable(ctx.store.cd, [obj], { include: includeObject(ctx.query), resourceVersion: obj.metadata.resourceVersion });
    writeJson(ctx.res, code, t, TABLE_TYPE, headers);
  } else writeJson(ctx.res, code, obj, JSON_TYPE, headers);
}

export function listOptionsOf(query: URLSearchParams): ListOptions {
  const limit = query.get('limit');
  return {
    labelSelector: query.get('labelSelector') ?? undefined,
    fieldSelector: query.get('fieldSelector') ?? undefined,
    limit: limit ? Number(limit) : undefined,
    continue: query.get('continue') ?? undefined,
    resourceVersion: query.get('resourceVersion') ?? undefined,
    resourceVersionMatch: query.get('resourceVersionMatch') ?? undefined,
  };
}

export async function handleList(ctx: HandlerContext): Promise<void> {
  const r = await ctx.store.list(ctx.info.namespace, listOptionsOf(ctx.query));
  const cd = ctx.store.cd;
  if (wantsTable(ctx.req)) {
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

export function handleWatch(ctx: HandlerContext): void {
  const { res, query, store } = ctx;
  const table = wantsTable(ctx.req);
  const include = includeObject(query);
  const cd = store.cd;
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
  const allowBookmarks = query.get('allowWatchBookmarks') === 'true';
  const bookmark = (extra?: Record<string, string>) => {
    const rv = handle?.revision() ?? 0;
    lastBookmark = rv;
    write('BOOKMARK', { kind: cd.def.kind, apiVersion: cd.gv, metadata: { resourceVersion: String(rv), ...(extra ? { annotations: extra } : {}) } });
  };
  const bookmarks = setInterval(() => {
    if (allowBookmarks && handle && handle.revision() !== lastBookmark) bookmark();
  }, BOOKMARK_INTERVAL_MS);
  const timeoutSeconds = Number(query.get('timeoutSeconds') ?? 0);
  const timeout = timeoutSeconds > 0 ? setTimeout(finish, timeoutSeconds * 1000) : undefined;
  res.on('close', finish);
  let handle: { cancel(): void; revision(): number } | undefined;
  try {
    handle = store.watch(ctx.info.namespace, listOptionsOf(query), {
      onEvent: (type: WatchEventType, obj: KObject) => write(type, objectFor(obj)),
      onError,
      onEnd: finish,
    });
    if (query.get('sendInitialEvents') === 'true' && allowBookmarks) bookmark({ 'k8s.io/initial-events-end': 'true' });
  } catch (e) {
    onError(e);
  }
}
