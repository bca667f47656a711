// The review kinds, answered truthfully from the authorizer chain:
// SelfSubjectAccessReview (`kubectl auth can-i`), SubjectAccessReview and
// LocalSubjectAccessReview (may another user?), SelfSubjectRulesReview
// (`kubectl auth can-i --list`) and SelfSubjectReview (`kubectl auth whoami`).

import type { ResourceDefinition, UserInfo } from '../api/definition.js';
import { badRequest, invalid } from '../api/errors.js';
import { isPlainObject, type KObject } from '../api/object.js';
import { decodeBody, mediaType } from '../apiserver/body.js';
import type { HandlerContext } from '../apiserver/request-context.js';
import type { CustomHandlers } from '../apiserver/resource-handler.js';
import { JSON_TYPE, writeJson } from '../apiserver/response.js';
import type { AuthorizationAttributes } from '../authz/types.js';
import type { ChainAuthorizer } from '../authz/create-authorizer.js';

type Spec = Record<string, unknown>;

async function reviewBody(ctx: HandlerContext): Promise<KObject> {
  const { value } = decodeBody(await ctx.body(), mediaType(ctx.req), false);
  if (!isPlainObject(value)) throw badRequest('the object provided is unrecognized or malformed');
  const obj = value as KObject;
  if (!isPlainObject(obj.metadata)) obj.metadata = {};
  return obj;
}

function validate(def: ResourceDefinition, obj: KObject): void {
  const errs = def.strategy?.validate?.(obj, { user: { username: '', groups: [] }, dryRun: false }) ?? [];
  if (errs.length) throw invalid(def.kind, def.group, obj.metadata.name ?? '', errs);
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** kube's ResourceAttributesFrom / NonResourceAttributesFrom. */
export function reviewAttributes(user: UserInfo, spec: Spec): AuthorizationAttributes {
  if (isPlainObject(spec.resourceAttributes)) {
    const r = spec.resourceAttributes;
    return {
      user,
      verb: str(r.verb),
      resourceRequest: true,
      namespace: str(r.namespace) || undefined,
      apiGroup: str(r.group),
      apiVersion: str(r.version) || '*',
      resource: str(r.resource),
      subresource: str(r.subresource) || undefined,
      name: str(r.name) || undefined,
    };
  }
  const n = isPlainObject(spec.nonResourceAttributes) ? spec.nonResourceAttributes : {};
  return { user, verb: str(n.verb), resourceRequest: false, path: str(n.path) };
}

function specUser(spec: Spec): UserInfo {
  const extra: Record<string, string[]> = {};
  if (isPlainObject(spec.extra)) for (const [k, v] of Object.entries(spec.extra)) if (Array.isArray(v)) extra[k] = v.map(String);
  return {
    username: str(spec.user),
    ...(str(spec.uid) ? { uid: str(spec.uid) } : {}),
    groups: Array.isArray(spec.groups) ? spec.groups.map(String) : [],
    extra,
  };
}

function respond(ctx: HandlerContext, obj: KObject, status: Record<string, unknown>, metadata: Record<string, unknown> = {}): void {
  const def = ctx.store.def;
  writeJson(
    ctx.res,
    201,
    { kind: def.kind, apiVersion: `${def.group}/${def.version}`, metadata: { ...metadata, creationTimestamp: null }, spec: obj.spec ?? {}, status },
    JSON_TYPE,
  );
}

export function registerAccessReviewHandlers(custom: CustomHandlers, authorizer: ChainAuthorizer): void {
  const decide = (attrs: AuthorizationAttributes) => {
    const r = authorizer.authorize(attrs);
    return { allowed: r.decision === 'allow', ...(r.decision === 'deny' ? { denied: true } : {}), ...(r.reason ? { reason: r.reason } : {}) };
  };

  custom.register('authorization.k8s.io/selfsubjectaccessreviews', async (ctx) => {
    const obj = await reviewBody(ctx);
    validate(ctx.store.def, obj);
    respond(ctx, obj, decide(reviewAttributes(ctx.user, isPlainObject(obj.spec) ? obj.spec : {})));
  });

  custom.register('authorization.k8s.io/subjectaccessreviews', async (ctx) => {
    const obj = await reviewBody(ctx);
    validate(ctx.store.def, obj);
    const spec = obj.spec as Spec;
    respond(ctx, obj, decide(reviewAttributes(specUser(spec), spec)));
  });

  custom.register('authorization.k8s.io/localsubjectaccessreviews', async (ctx) => {
    const obj = await reviewBody(ctx);
    const namespace = ctx.info.namespace!;
    if (obj.metadata.namespace && obj.metadata.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    obj.metadata.namespace = namespace;
    validate(ctx.store.def, obj);
    const spec = obj.spec as Spec;
    const attrs = reviewAttributes(specUser(spec), spec);
    attrs.namespace = namespace;
    respond(ctx, obj, decide(attrs), { namespace });
  });

  custom.register('authorization.k8s.io/selfsubjectrulesreviews', async (ctx) => {
    const obj = await reviewBody(ctx);
    const spec = isPlainObject(obj.spec) ? obj.spec : {};
    const namespace = str(spec.namespace);
    if (!namespace) throw badRequest('no namespace on request');
    const rules = authorizer.rulesFor(ctx.user, namespace);
    respond(ctx, obj, {
      resourceRules: rules.resourceRules,
      nonResourceRules: rules.nonResourceRules,
      incomplete: rules.incomplete,
      ...(rules.evaluationError ? { evaluationError: rules.evaluationError } : {}),
    });
  });

  custom.register('authentication.k8s.io/selfsubjectreviews', async (ctx) => {
    const u = ctx.user;
    writeJson(
      ctx.res,
      201,
      {
        kind: 'SelfSubjectReview',
        apiVersion: 'authentication.k8s.io/v1',
        metadata: { creationTimestamp: null },
        status: {
          userInfo: {
            username: u.username,
            ...(u.uid ? { uid: u.uid } : {}),
            groups: u.groups,
            ...(u.extra && Object.keys(u.extra).length ? { extra: u.extra } : {}),
          },
        },
      },
      JSON_TYPE,
    );
  });
}
