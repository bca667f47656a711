// POST (create), PUT (update) and PATCH (merge, JSON, strategic, apply) for
// objects and their status subresource.

import { ApiError, badRequest, unsupportedMediaType } from '../../api/errors.js';
import { clone, isPlainObject, nowIso, type KObject } from '../../api/object.js';
import { applyJsonPatch, applyMergePatch, applyServerSide, applyStrategicMergePatch } from '../../patch/index.js';
import type { Mutation } from '../../registry/resource-store.js';
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
  const r = await ctx.store.update(ctx.info.namespace, ctx.info.name!, () => obj, opts);
  respondObject(ctx, r.obj, r.created ? 201 : 200, warningHeaders(r.warnings));
}

export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

/** Turns a patch body into a mutation of the current object. */
export function patchMutation(ctx: HandlerContext, type: string, patch: unknown, manager: string): { mutate: Mutation; apply: boolean } {
  const cd = ctx.store.cd;
  switch (type) {
    case 'application/merge-patch+json':
      return { mutate: (cur) => applyMergePatch(cur ?? notFoundFor(ctx), patch) as KObject, apply: false };
    case 'application/json-patch+json':
      if (!Array.isArray(patch)) throw badRequest('the body of the request was in an unknown format: a JSON patch must be an array of operations');
      return { mutate: (cur) => applyJsonPatch(cur ?? notFoundFor(ctx), patch) as KObject, apply: false };
    case 'application/strategic-merge-patch+json':
      if (!cd.def.strategicMerge) {
        throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`);
      }
      return { mutate: (cur) => applyStrategicMergePatch(cur ?? notFoundFor(ctx), patch, cd.fullSchema) as KObject, apply: false };
    case 'application/apply-patch+yaml': {
      if (!isPlainObject(patch)) throw badRequest('the body of the request was in an unknown format: expected an object');
      const force = ctx.query.get('force') === 'true';
      return {
        mutate: (cur) => {
          const applied = clone(patch) as KObject;
          if (!isPlainObject(applied.metadata)) applied.metadata = {};
          // The main resource never takes status; an apply config must not claim it either.
          if (ctx.info.subresource !== 'status' && cd.def.subresources?.status) delete applied.status;
          if (applied.metadata.name && applied.metadata.name !== ctx.info.name) {
            throw badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${ctx.info.name})`);
          }
          const r = applyServerSide({ live: cur, applied, manager, force, schema: cd.fullSchema, apiVersion: cd.gv, now: nowIso(), subresource: ctx.info.subresource });
          const out = r.object as KObject;
          out.metadata.managedFields = r.managedFields as never;
          return out;
        },
        apply: true,
      };
    }
    default:
      throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`);
  }
}

function notFoundFor(ctx: HandlerContext): never {
  throw new ApiError(404, 'NotFound', `${ctx.store.cd.qualified} "${ctx.info.name}" not found`);
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
  const { mutate, apply } = patchMutation(ctx, type, value, opts.fieldManager!);
  const r = await ctx.store.update(ctx.info.namespace, ctx.info.name!, mutate, {
    ...opts,
    createIfMissing: apply && !subresource,
    skipManagedFields: apply,
  });
  respondObject(ctx, r.obj, r.created ? 201 : 200, warningHeaders(r.warnings));
}
