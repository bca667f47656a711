// The scale subresource (autoscaling/v1 Scale) for kinds that declare one:
// spec.replicas maps to the kind's replicas path, status to its status paths.

import { badRequest, invalid, fieldError } from '../../api/errors.js';
import { getPath, isPlainObject, setPath, type KObject } from '../../api/object.js';
import { applyJsonPatch, applyMergePatch } from '../../patch/index.js';
import { decodeBody, mediaType } from '../body.js';
import { writeOptions, type HandlerContext } from '../request-context.js';
import { JSON_TYPE, writeJson } from '../response.js';

export function toScale(ctx: HandlerContext, obj: KObject): KObject {
  const sc = ctx.store.def.subresources!.scale!;
  const selector = sc.labelSelectorPath ? getPath(obj, sc.labelSelectorPath) : undefined;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: (getPath(obj, sc.specReplicasPath) as number | undefined) ?? 0 },
    status: {
      replicas: (getPath(obj, sc.statusReplicasPath) as number | undefined) ?? 0,
      ...(typeof selector === 'string' && selector ? { selector } : {}),
    },
  };
}

export async function handleScaleGet(ctx: HandlerContext): Promise<void> {
  const obj = await ctx.store.get(ctx.info.namespace, ctx.info.name!);
  writeJson(ctx.res, 200, toScale(ctx, obj), JSON_TYPE);
}

/** PUT or PATCH of /scale: compute the new Scale, then write its replicas into the object. */
export async function handleScaleWrite(ctx: HandlerContext, method: 'PUT' | 'PATCH'): Promise<void> {
  const sc = ctx.store.def.subresources!.scale!;
  const type = mediaType(ctx.req);
  const { value } = decodeBody(await ctx.body(), type === '' ? 'application/json' : type, false);
  const r = await ctx.store.update(
    ctx.info.namespace,
    ctx.info.name!,
    (cur) => {
      if (!cur) throw badRequest('not found');
      const scale = toScale(ctx, cur);
      let next: KObject;
      if (method === 'PUT') next = value as KObject;
      else if (type === 'application/json-patch+json') next = applyJsonPatch(scale, value as never) as KObject;
      else next = applyMergePatch(scale, value) as KObject;
      if (!isPlainObject(next) || !isPlainObject(next.spec)) throw badRequest('the body of the request was in an unknown format: expected a Scale');
      const replicas = (next.spec as Record<string, unknown>).replicas;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
        throw invalid('Scale', 'autoscaling', ctx.info.name!, [fieldError.invalid('spec.replicas', replicas, 'must be greater than or equal to 0')]);
      }
      const rv = isPlainObject(next.metadata) ? (next.metadata as Record<string, unknown>).resourceVersion : undefined;
      if (typeof rv === 'string' && rv) cur.metadata.resourceVersion = rv;
      setPath(cur, sc.specReplicasPath, replicas);
      return cur;
    },
    { ...writeOptions(ctx, 'scale') },
  );
  writeJson(ctx.res, 200, toScale(ctx, r.obj), JSON_TYPE);
}
