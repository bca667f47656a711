// DELETE of one object and of a collection, with DeleteOptions from the body
// or the query (propagationPolicy, gracePeriodSeconds, preconditions, dryRun).

import { badRequest } from '../../api/errors.js';
import { isPlainObject, type KObject } from '../../api/object.js';
import type { DeleteOptions } from '../../registry/resource-store.js';
import { decodeBody, mediaType } from '../body.js';
import { dryRunOf, type HandlerContext } from '../request-context.js';
import { JSON_TYPE, writeJson } from '../response.js';
import { listOptionsOf, respondObject } from './read.js';

const POLICIES = ['Background', 'Foreground', 'Orphan'];

async function deleteOptionsOf(ctx: HandlerContext): Promise<{ opts: DeleteOptions; dryRun: boolean }> {
  const raw = await ctx.body();
  let body: Record<string, unknown> = {};
  if (raw.length > 0) {
    const { value } = decodeBody(raw, mediaType(ctx.req), false);
    if (!isPlainObject(value)) throw badRequest('the body of the request was in an unknown format: expected DeleteOptions');
    body = value;
  }
  const q = ctx.query;
  const policy = (q.get('propagationPolicy') ?? body.propagationPolicy ?? (body.orphanDependents === true ? 'Orphan' : undefined)) as string | undefined;
  if (policy !== undefined && !POLICIES.includes(policy)) {
    throw badRequest(`propagationPolicy: Unsupported value: "${policy}": supported values: "Background", "Foreground", "Orphan"`);
  }
  const graceText = q.get('gracePeriodSeconds');
  const grace = graceText !== null ? Number(graceText) : (body.gracePeriodSeconds as number | undefined);
  if (grace !== undefined && (!Number.isInteger(grace) || grace < 0)) throw badRequest('gracePeriodSeconds: must be a non-negative integer');
  const bodyDryRun = Array.isArray(body.dryRun) && body.dryRun.includes('All');
  return {
    opts: {
      propagationPolicy: policy as DeleteOptions['propagationPolicy'],
      gracePeriodSeconds: grace,
      preconditions: isPlainObject(body.preconditions) ? (body.preconditions as DeleteOptions['preconditions']) : undefined,
    },
    dryRun: dryRunOf(q) || bodyDryRun,
  };
}

export async function handleDelete(ctx: HandlerContext): Promise<void> {
  const { opts, dryRun } = await deleteOptionsOf(ctx);
  const r = await ctx.store.delete(ctx.info.namespace, ctx.info.name!, opts, { user: ctx.user, dryRun });
  respondObject(ctx, r.obj, r.deleted ? 200 : 202);
}

export async function handleDeleteCollection(ctx: HandlerContext): Promise<void> {
  const { opts, dryRun } = await deleteOptionsOf(ctx);
  const list = await ctx.store.list(ctx.info.namespace, { ...listOptionsOf(ctx.query), limit: undefined, continue: undefined });
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
