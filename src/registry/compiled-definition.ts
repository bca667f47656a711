// A resource definition with everything derived from it computed once at
// registration: the full object schema, its compiled validator, names.

import { Type } from '@sinclair/typebox';
import { gvString, listKindOf, qualifiedResource, type ResourceDefinition } from '../api/definition.js';
import { SchemaValidator, type Schema } from '../api/schema-validator.js';
import { ObjectMetaSchema } from '../api/schemas/index.js';
import { resourcePrefix } from './keys.js';

export interface CompiledDefinition {
  def: ResourceDefinition;
  gv: string;
  listKind: string;
  /** `workloads.kuma.io`, `pods`: the name kube uses in messages. */
  qualified: string;
  prefix: string;
  /** Schema of the whole object: apiVersion, kind, metadata and the body. */
  fullSchema: Schema;
  validator: SchemaValidator;
}

/** `lazyValidator`: compile the schema on first use (see SchemaValidatorOptions.lazy). */
export function compileDefinition(def: ResourceDefinition, opts: { lazyValidator?: boolean } = {}): CompiledDefinition {
  const body = def.schema as unknown as { properties?: Record<string, unknown>; required?: string[]; 'x-kubernetes-preserve-unknown-fields'?: boolean };
  const fullSchema = {
    type: 'object',
    description: def.description ?? `${def.kind} is a ${def.group || 'core'} ${def.version} resource.`,
    properties: {
      apiVersion: Type.String({ description: 'APIVersion defines the versioned schema of this representation of an object.' }),
      kind: Type.String({ description: 'Kind is a string value representing the REST resource this object represents.' }),
      metadata: ObjectMetaSchema,
      ...(body.properties ?? {}),
    },
    ...(body.required?.length ? { required: body.required } : {}),
    // A CRD may keep unknown fields at the root.
    ...(body['x-kubernetes-preserve-unknown-fields'] === true ? { 'x-kubernetes-preserve-unknown-fields': true } : {}),
  };
  return {
    def,
    gv: gvString(def),
    listKind: listKindOf(def),
    qualified: qualifiedResource(def),
    prefix: resourcePrefix(def),
    fullSchema,
    validator: new SchemaValidator(fullSchema, { lazy: opts.lazyValidator }),
  };
}
