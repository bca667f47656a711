// DELETE of one object and of a collection. DeleteOptions come from the body
// when one is sent, else from the query (as kube-apiserver reads them), and
// are validated as kube validates them (propagationPolicy, dryRun...).

import { badRequest } from '../../api/errors.js';
import { isPlainObject, type KObject } from '../../api/object.js';
import type { DeleteOptions } from '../../registry/resource-store.js';
import { decodeBody, mediaType } from '../body.js';
import type { HandlerContext } from '../request-context.js';
import { deleteOptionsFromBody, deleteOptionsFromQuery, listOptionsOf, validateDeleteOptions } from '../request-options.js';
import { JSON_TYPE, writeJson } from '../response.js';
import { respondObject } from './read.js';

async function deleteOptionsOf(ctx: HandlerContext): Promise<{ opts: DeleteOptions; dryRun: boolean; orphanDependents?: boolean }> {
  const raw = await ctx.body();
  let decoded;
  if (raw.length > 0) {
    const { value } = decodeBody(raw, mediaType(ctx.req), false);
    if (!isPlainObject(value)) throw badRequest('the body of the request was in an unknown format: expected DeleteOptions');
    decoded = deleteOptionsFromBody(value);
  } else decoded = deleteOptionsFromQuery(ctx.query);
  validateDeleteOptions(decoded);
  const policy = decoded.propagationPolicy ?? (decoded.orphanDependents === true ? 'Orphan' : undefined);
  return {
    opts: {
      propagationPolicy: policy as DeleteOptions['propagationPolicy'],
      gracePeriodSeconds: decoded.gracePeriodSeconds,
      preconditions: decoded.preconditions,
    },
    dryRun: decoded.dryRun.length > 0,
    orphanDependents: decoded.orphanDependents,
  };
}

/**
 * As kube-apiserver answers: an object removed at once is a Status `Success`
 * naming it (details.kind is the resource, as kube fills it), unless the kind
 * returns deleted objects; an object left in place (grace period, finalizers)
 * comes back as it now is. The code is 200, except 202 for an object left in
 * place when the client explicitly asked not to orphan dependents (kube keeps
 * that quirk for old clients).
 */
export async function handleDelete(ctx: HandlerContext): Promise<void> {
  const { opts, dryRun, orphanDependents } = await deleteOptionsOf(ctx);
  const r = await ctx.store.delete(ctx.info.namespace, ctx.info.name!, opts, { user: ctx.user, dryRun });
  const def = ctx.store.cd.def;
  if (r.deleted && !def.returnDeletedObject) {
    const details: Record<string, string> = { name: r.obj.metadata.name! };
    if (def.group) details.group = def.group;
    details.kind = def.plural;
    if (r.obj.metadata.uid) details.uid = r.obj.metadata.uid;
    writeJson(ctx.res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details }, JSON_TYPE);
    return;
  }
  respondObject(ctx, r.obj, !r.deleted && orphanDependents === false ? 202 : 200);
}

export async function handleDeleteCollection(ctx: HandlerContext): Promise<void> {
  const listOpts = listOptionsOf(ctx.query);
  const { opts, dryRun } = await deleteOptionsOf(ctx);
  const list = await ctx.store.list(ctx.info.namespace, { ...listOpts, limit: undefined, continue: undefined });
  const out: KObject[] = [];
  for (const o of list.items) {
    try {
      out.push((await ctx.store.delete(o.metadata.namespace, o.metadata.name!, opts, { user: ctx.user, dryRun })).obj);
    } catch (e) {
      if ((e as { code?: number }).code !== 404) throw e;
    }
  }
  const cd = ctx.store.cd;
  writeJson(ctx.res, 200, { kind: cd.listKind, apiVersion: cd.gv, metadata: { resourceVersion: list.resourceVersion }, items: out }, JSON_TYPE);
}
