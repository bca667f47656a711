// POST (create), PUT (update) and PATCH (merge, JSON, strategic, apply) for
// objects and their status subresource.

import { badRequest, unsupportedMediaType } from '../../api/errors.js';
import { clone, isPlainObject, type KObject } from '../../api/object.js';
import { PATCH_TYPES, patchMutation } from '../../registry/patch-mutation.js';
import { decodeBody, mediaType } from '../body.js';
import { fieldValidationOf, warningHeaders, writeOptions, type HandlerContext } from '../request-context.js';
import { respondObject } from './read.js';

export async function decodeObject(ctx: HandlerContext): Promise<{ obj: KObject; duplicates?: string[] }> {
  const strict = fieldValidationOf(ctx.query) === 'Strict';
  const { value, duplicates } = decodeBody(await ctx.body(), mediaType(ctx.req), strict);
  if (!isPlainObject(value)) throw badRequest('the object provided is unrecognized or malformed: expected a JSON object');
  if (value.metadata !== undefined && !isPlainObject(value.metadata)) throw badRequest('the object provided is unrecognized or malformed: metadata must be an object');
  return { obj: value as KObject, duplicates };
}

export async function handleCreate(ctx: HandlerContext): Promise<void> {
  const { obj, duplicates } = await decodeObject(ctx);
  const opts = { ...writeOptions(ctx), duplicateFields: duplicates };
  const r = await ctx.store.create(ctx.info.namespace, obj, opts);
  respondObject(ctx, r.obj, 201, warningHeaders(r.warnings));
}

export async function handleUpdate(ctx: HandlerContext, subresource?: 'status'): Promise<void> {
  const { obj, duplicates } = await decodeObject(ctx);
  const opts = { ...writeOptions(ctx, subresource), duplicateFields: duplicates };
  const r = await ctx.store.update(ctx.info.namespace, ctx.info.name!, () => clone(obj), opts);
  respondObject(ctx, r.obj, r.created ? 201 : 200, warningHeaders(r.warnings));
}

export async function handlePatch(ctx: HandlerContext, subresource?: 'status'): Promise<void> {
  const type = mediaType(ctx.req);
  if (!PATCH_TYPES.includes(type)) {
    throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`);
  }
  const { value } = decodeBody(await ctx.body(), type, false);
  const opts = writeOptions(ctx, subresource);
  if (type === 'application/apply-patch+yaml' && !ctx.query.get('fieldManager')) {
    throw badRequest('PATCH, application/apply-patch+yaml requests must pass a fieldManager query parameter');
  }
  const { mutate, apply } = patchMutation(ctx.store.cd, {
    name: ctx.info.name!,
    mediaType: type,
    patch: value,
    manager: opts.fieldManager!,
    force: ctx.query.get('force') === 'true',
    subresource,
  });
  const r = await ctx.store.update(ctx.info.namespace, ctx.info.name!, mutate, {
    ...opts,
    createIfMissing: apply && !subresource,
    skipManagedFields: apply,
  });
  respondObject(ctx, r.obj, r.created ? 201 : 200, warningHeaders(r.warnings));
}
