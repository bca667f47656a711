// GET of one object and list: JSON or Table, from the watch cache (watch: watch.ts).

import type { KObject } from '../../api/object.js';
import { includeObject, wantsTable, type HandlerContext } from '../request-context.js';
import { JSON_TYPE, TABLE_TYPE, writeJson } from '../response.js';
import { checkResourceVersion, listOptionsOf, validateTableOptions } from '../request-options.js';
import { objectJson } from '../object-json.js';
import { toTable } from '../table.js';

export async function handleGet(ctx: HandlerContext): Promise<void> {
  const obj = await ctx.store.get(ctx.info.namespace, ctx.info.name!);
  if (wantsTable(ctx.req)) return respondObject(ctx, obj);
  // The watch cache's own object: its JSON is made once and reused.
  writeJson(ctx.res, 200, objectJson(obj, ctx.store.cd.gv, ctx.store.cd.def.kind));
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
  // Items are the watch cache's objects, each serialized once per version (object-json.ts);
  // the envelope is assembled as text around them.
  const head = JSON.stringify({ kind: cd.listKind, apiVersion: cd.gv, metadata }).slice(0, -1);
  const body = `${head},"items":[${r.items.map((i) => objectJson(i, cd.gv, cd.def.kind)).join(',')}]}`;
  writeJson(ctx.res, 200, body);
}
