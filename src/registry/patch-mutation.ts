// Turns a patch (by media type) into a mutation of the current object, for the
// HTTP handler and the in-process client alike.

import { ApiError, badRequest, unsupportedMediaType } from '../api/errors.js';
import { clone, isPlainObject, nowIso, type KObject } from '../api/object.js';
import { applyJsonPatch, applyMergePatch, applyServerSide, applyStrategicMergePatch } from '../patch/index.js';
import type { CompiledDefinition } from './compiled-definition.js';
import type { Mutation } from './resource-store.js';

export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

export interface PatchRequest {
  name: string;
  mediaType: string;
  patch: unknown;
  manager: string;
  force?: boolean;
  subresource?: string;
}

const notFoundFor = (cd: CompiledDefinition, name: string): never => {
  throw new ApiError(404, 'NotFound', `${cd.qualified} "${name}" not found`, { name, group: cd.def.group, kind: cd.def.kind });
};

export function patchMutation(cd: CompiledDefinition, r: PatchRequest): { mutate: Mutation; apply: boolean } {
  const { patch, name } = r;
  switch (r.mediaType) {
    case 'application/merge-patch+json':
      return { mutate: (cur) => applyMergePatch(cur ?? notFoundFor(cd, name), patch) as KObject, apply: false };
    case 'application/json-patch+json':
      if (!Array.isArray(patch)) throw badRequest('the body of the request was in an unknown format: a JSON patch must be an array of operations');
      return { mutate: (cur) => applyJsonPatch(cur ?? notFoundFor(cd, name), patch) as KObject, apply: false };
    case 'application/strategic-merge-patch+json':
      if (!cd.def.strategicMerge) {
        throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`);
      }
      return { mutate: (cur) => applyStrategicMergePatch(cur ?? notFoundFor(cd, name), patch, cd.fullSchema) as KObject, apply: false };
    case 'application/apply-patch+yaml': {
      if (!isPlainObject(patch)) throw badRequest('the body of the request was in an unknown format: expected an object');
      return {
        mutate: (cur) => {
          const applied = clone(patch) as KObject;
          if (!isPlainObject(applied.metadata)) applied.metadata = {};
          if (applied.metadata.name && applied.metadata.name !== name) {
            throw badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`);
          }
          // The main resource never takes status; an apply config must not claim it either.
          if (r.subresource !== 'status' && cd.def.subresources?.status) delete applied.status;
          const res = applyServerSide({ live: cur, applied, manager: r.manager, force: !!r.force, schema: cd.fullSchema, apiVersion: cd.gv, now: nowIso(), subresource: r.subresource });
          const out = res.object as KObject;
          out.metadata.managedFields = res.managedFields as never;
          return out;
        },
        apply: true,
      };
    }
    default:
      throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`);
  }
}
