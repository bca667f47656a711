// Routes a resource request to its verb handler: the main resource, status and
// scale generically, other subresources and virtual kinds to registered handlers.

import { ApiError, methodNotAllowed, notFound } from '../api/errors.js';
import type { HandlerContext } from './request-context.js';
import { handleDelete, handleDeleteCollection } from './handlers/delete.js';
import { handleGet, handleList, respondObject } from './handlers/read.js';
import { handleWatch } from './handlers/watch.js';
import { handleScaleGet, handleScaleWrite } from './handlers/scale.js';
import { handleCreate, handlePatch, handleUpdate } from './handlers/write.js';

export type CustomHandler = (ctx: HandlerContext) => Promise<void>;

/** Handlers for subresources the generic machinery does not serve (`core/pods/log`...) and virtual kinds. */
export class CustomHandlers {
  private readonly map = new Map<string, CustomHandler>();

  /** key: `<group>/<resource>/<subresource>` or `<group>/<resource>` for a virtual kind's create. */
  register(key: string, h: CustomHandler): this {
    this.map.set(key, h);
    return this;
  }

  get(group: string, resource: string, sub?: string): CustomHandler | undefined {
    return this.map.get(sub ? `${group}/${resource}/${sub}` : `${group}/${resource}`);
  }
}

export async function handleResource(ctx: HandlerContext, custom: CustomHandlers): Promise<void> {
  const { info, req } = ctx;
  const def = ctx.store.def;
  const sub = info.subresource;
  if (sub) {
    const h = custom.get(def.group, def.plural, sub);
    if (h) return h(ctx);
    if (sub === 'status' && def.subresources?.status) {
      if (req.method === 'GET') return respondObject(ctx, await ctx.store.get(info.namespace, info.name!));
      if (req.method === 'PUT') return handleUpdate(ctx, 'status');
      if (req.method === 'PATCH') return handlePatch(ctx, 'status');
      throw methodNotAllowed(`the server does not allow this method on the requested resource`);
    }
    if (sub === 'scale' && def.subresources?.scale) {
      if (req.method === 'GET') return handleScaleGet(ctx);
      if (req.method === 'PUT' || req.method === 'PATCH') return handleScaleWrite(ctx, req.method);
      throw methodNotAllowed(`the server does not allow this method on the requested resource`);
    }
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  }
  if (def.virtual) {
    const h = custom.get(def.group, def.plural);
    if (h && info.verb === 'create') return h(ctx);
    throw methodNotAllowed(`the server does not allow this method on the requested resource`);
  }
  if (!def.verbs?.includes(info.verb)) throw methodNotAllowed(`the server does not allow this method on the requested resource`);
  switch (info.verb) {
    case 'get':
      return handleGet(ctx);
    case 'list':
      return handleList(ctx);
    case 'watch':
      return handleWatch(ctx);
    case 'create':
      if (info.name) throw methodNotAllowed('the server does not allow this method on the requested resource');
      return handleCreate(ctx);
    case 'update':
      return handleUpdate(ctx);
    case 'patch':
      return handlePatch(ctx);
    case 'delete':
      return handleDelete(ctx);
    case 'deletecollection':
      return handleDeleteCollection(ctx);
  }
  throw notFound(def.plural, info.name ?? '');
}
