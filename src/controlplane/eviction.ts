// POST .../pods/{name}/eviction (policy/v1 Eviction), what `kubectl drain`
// and `kubectl evict`-style tools call: deletes the pod with the Eviction's
// deleteOptions and answers 201 with a Success Status.
//
// Workplane has no PodDisruptionBudgets, so an eviction is never refused
// with 429 the way kube refuses one that would break a budget: it is a
// delete that tools can reach through the eviction API.

import { badRequest, methodNotAllowed } from '../api/errors.js';
import { isPlainObject } from '../api/object.js';
import { decodeBody, mediaType } from '../apiserver/body.js';
import { dryRunOf, type HandlerContext } from '../apiserver/request-context.js';
import type { CustomHandlers } from '../apiserver/resource-handler.js';
import { JSON_TYPE, successStatus, writeJson } from '../apiserver/response.js';
import type { DeleteOptions } from '../registry/resource-store.js';
import type { Registry } from '../registry/registry.js';
import { deleteOptionsFromBody, validateDeleteOptions, validateWriteOptions } from '../apiserver/request-options.js';

async function evictionOf(ctx: HandlerContext): Promise<Record<string, unknown>> {
  const { value } = decodeBody(await ctx.body(), mediaType(ctx.req), false);
  if (!isPlainObject(value)) throw badRequest('the object provided is unrecognized or malformed');
  if (value.kind !== undefined && value.kind !== 'Eviction') throw badRequest(`expected an Eviction, got kind "${String(value.kind)}"`);
  return value;
}

/** The Eviction's deleteOptions, decoded and validated as kube decodes DeleteOptions. */
function deleteOptionsOf(raw: unknown): { opts: DeleteOptions; dryRun: boolean } {
  const d = deleteOptionsFromBody(isPlainObject(raw) ? raw : {});
  validateDeleteOptions(d);
  const policy = d.propagationPolicy ?? (d.orphanDependents === true ? 'Orphan' : undefined);
  return {
    opts: { gracePeriodSeconds: d.gracePeriodSeconds, propagationPolicy: policy as DeleteOptions['propagationPolicy'], preconditions: d.preconditions },
    dryRun: d.dryRun.length > 0,
  };
}

export function registerEvictionHandler(custom: CustomHandlers, registry: Registry): void {
  custom.register('/pods/eviction', async (ctx) => {
    if (ctx.req.method !== 'POST') throw methodNotAllowed('the server does not allow this method on the requested resource');
    validateWriteOptions(ctx.query, 'create');
    const eviction = await evictionOf(ctx);
    const meta = isPlainObject(eviction.metadata) ? eviction.metadata : {};
    const name = ctx.info.name!;
    if (meta.name !== undefined && meta.name !== name) throw badRequest('name in URL does not match name in Eviction object');
    const { opts, dryRun } = deleteOptionsOf(eviction.deleteOptions);
    const pods = registry.forKind('', 'Pod') ?? ctx.store;
    // A missing pod rejects with 404 NotFound (pods "name" not found), as kube answers.
    await pods.delete(ctx.info.namespace, name, opts, { user: ctx.user, dryRun: dryRun || dryRunOf(ctx.query) });
    writeJson(ctx.res, 201, { ...successStatus(), code: 201 }, JSON_TYPE);
  });
}
