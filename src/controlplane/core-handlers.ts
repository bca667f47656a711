// Handlers for core subresources that are not plain storage:
// namespaces/finalize, serviceaccounts/token (TokenRequest), pods/binding.
// The review kinds are answered in access-review-handlers.ts.

import { ApiError, badRequest, fieldError, forbidden, invalid } from '../api/errors.js';
import { nodeIdentity } from '../authz/node-identity.js';
import { isPlainObject } from '../api/object.js';
import { decodeBody, mediaType } from '../apiserver/body.js';
import { writeOptions, type HandlerContext } from '../apiserver/request-context.js';
import type { CustomHandlers } from '../apiserver/resource-handler.js';
import { JSON_TYPE, writeJson } from '../apiserver/response.js';
import { respondObject } from '../apiserver/handlers/read.js';
import type { Registry } from '../registry/registry.js';
import type { TokenIssuer } from '../security/index.js';
import { applyBinding } from '../api/core/pod-binding.js';

async function bodyObject(ctx: HandlerContext): Promise<Record<string, unknown>> {
  const { value } = decodeBody(await ctx.body(), mediaType(ctx.req), false);
  if (!isPlainObject(value)) throw badRequest('the object provided is unrecognized or malformed');
  return value;
}

export function registerCoreHandlers(custom: CustomHandlers, registry: Registry, tokens: TokenIssuer): void {
  // PUT /api/v1/namespaces/{name}/finalize: only spec.finalizers changes.
  custom.register('/namespaces/finalize', async (ctx) => {
    const body = await bodyObject(ctx);
    const spec = isPlainObject(body.spec) ? body.spec : {};
    const finalizers = Array.isArray(spec.finalizers) ? (spec.finalizers as string[]) : [];
    const r = await ctx.store.update(
      undefined,
      ctx.info.name!,
      (cur) => {
        const next = cur!;
        next.spec = { ...(next.spec as object), finalizers };
        return next;
      },
      { ...writeOptions(ctx, 'finalize') },
    );
    respondObject(ctx, r.obj);
  });

  // POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token
  custom.register('/serviceaccounts/token', async (ctx) => {
    const sa = await ctx.store.get(ctx.info.namespace, ctx.info.name!);
    const body = await bodyObject(ctx);
    const spec = (isPlainObject(body.spec) ? body.spec : {}) as Record<string, unknown>;
    const exp = spec.expirationSeconds === undefined ? 3600 : Number(spec.expirationSeconds);
    if (!Number.isInteger(exp) || exp < 600) {
      throw invalid('TokenRequest', 'authentication.k8s.io', ctx.info.name!, [
        fieldError.invalid('spec.expirationSeconds', spec.expirationSeconds, 'may not specify a duration less than 10 minutes'),
      ]);
    }
    const audiences = Array.isArray(spec.audiences) ? (spec.audiences as string[]) : undefined;
    const bound = isPlainObject(spec.boundObjectRef) ? (spec.boundObjectRef as { kind: string; name: string; uid: string }) : undefined;
    const node = nodeIdentity(ctx.user);
    if (node.isNode) await checkNodeTokenRequest(registry, ctx.info.namespace!, ctx.info.name!, node.name, bound);
    if (bound) await checkBoundObject(registry, ctx.info.namespace!, sa.metadata.name!, bound);
    const issued = await tokens.issue({
      namespace: ctx.info.namespace!,
      serviceAccount: sa.metadata.name!,
      uid: sa.metadata.uid!,
      audiences,
      expirationSeconds: Math.min(exp, 48 * 3600),
      boundObject: bound,
    });
    writeJson(
      ctx.res,
      201,
      {
        kind: 'TokenRequest',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: { name: sa.metadata.name, namespace: sa.metadata.namespace, creationTimestamp: null },
        spec: { audiences: audiences ?? [], expirationSeconds: Math.min(exp, 48 * 3600), boundObjectRef: bound ?? null },
        status: { token: issued.token, expirationTimestamp: issued.expirationTimestamp },
      },
      JSON_TYPE,
    );
  });

  // POST /api/v1/namespaces/{ns}/pods/{name}/binding: sets spec.nodeName once.
  custom.register('/pods/binding', async (ctx) => {
    const body = await bodyObject(ctx);
    const target = isPlainObject(body.target) ? (body.target as Record<string, unknown>) : undefined;
    const nodeName = target?.name;
    if (typeof nodeName !== 'string' || !nodeName) {
      throw invalid('Binding', '', ctx.info.name!, [fieldError.required('target.name')]);
    }
    const meta = isPlainObject(body.metadata) ? (body.metadata as Record<string, unknown>) : {};
    await ctx.store.update(
      ctx.info.namespace,
      ctx.info.name!,
      (cur) => applyBinding(cur!, nodeName, typeof meta.uid === 'string' ? meta.uid : undefined),
      { ...writeOptions(ctx, 'binding'), subresource: 'binding' },
    );
    writeJson(ctx.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }, JSON_TYPE);
  });
}

/** NodeRestriction for TokenRequest, as kube's: a node gets tokens only bound to a pod (uid given) scheduled on itself. */
async function checkNodeTokenRequest(registry: Registry, namespace: string, sa: string, node: string, ref: { kind?: string; apiVersion?: string; name?: string; uid?: string } | undefined): Promise<void> {
  const refuse = (why: string) => forbidden(`serviceaccounts "${sa}" is forbidden: ${why}`, { name: sa, kind: 'serviceaccounts' });
  if (!ref || (ref.apiVersion ?? 'v1') !== 'v1' || ref.kind !== 'Pod' || !ref.name) throw refuse('node requested token not bound to a pod');
  if (!ref.uid) throw refuse('node requested token with a pod binding without a uid');
  const pod = await registry.lookup('', 'v1', 'pods')!.get(namespace, ref.name);
  if (pod.metadata.uid !== ref.uid) throw refuse(`the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
  if ((pod.spec as { nodeName?: string } | undefined)?.nodeName !== node) throw refuse('node requested token bound to a pod scheduled on a different node');
}

/** As kube-apiserver: a token is bound only to a live Pod or Secret (uid matching), and a Pod must run as the account. */
async function checkBoundObject(registry: Registry, namespace: string, serviceAccount: string, ref: { kind: string; name: string; uid?: string }): Promise<void> {
  if (ref.kind !== 'Pod' && ref.kind !== 'Secret') {
    throw badRequest(`cannot bind token to object of type ${ref.kind}`);
  }
  const obj = await registry.forKind('', ref.kind)!.get(namespace, ref.name);
  if (ref.uid && ref.uid !== obj.metadata.uid) {
    throw new ApiError(409, 'Conflict', `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
  }
  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  if (ref.kind === 'Pod' && (spec.serviceAccountName ?? 'default') !== serviceAccount) {
    throw badRequest(`cannot bind token for serviceaccount "${serviceAccount}" to pod running with different serviceaccount name.`);
  }
}
