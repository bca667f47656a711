// CustomResourceDefinition (apiextensions.k8s.io/v1, cluster-scoped): how a
// user adds a kind at run time. The strategy fills kube's defaults, keeps
// status.storedVersions, adds the cleanup finalizer and validates; the CRD
// controller (controllers/apiextensions) serves what it defines.

import { Type } from '@sinclair/typebox';
import { defineResource, type OperationContext, type ResourceDefinition } from '../definition.js';
import type { FieldError } from '../errors.js';
import { clone, isPlainObject, nowIso, type KObject } from '../object.js';
import { nameColumn } from '../core/columns.js';
import { opt } from '../schemas/index.js';
import { CrdSpecSchema, CrdStatusSchema } from './crd-schema.js';
import { validateCrd, validateCrdUpdate, validateNames } from './crd-validation.js';
import { CLEANUP_FINALIZER, CRD_GROUP, crdConditions, type CrdCondition } from './crd-types.js';

type Obj = Record<string, unknown>;

/** kube's defaults: singular and listKind from the kind, conversion None, served/storage false. */
function applyDefaults(crd: KObject): void {
  if (!isPlainObject(crd.spec)) return;
  const spec = crd.spec as Obj;
  if (isPlainObject(spec.names)) {
    const n = spec.names as Obj;
    if (typeof n.kind === 'string' && n.kind) {
      if (!n.singular) n.singular = n.kind.toLowerCase();
      if (!n.listKind) n.listKind = `${n.kind}List`;
    }
  }
  if (!isPlainObject(spec.conversion)) spec.conversion = { strategy: 'None' };
  else if (!(spec.conversion as Obj).strategy) (spec.conversion as Obj).strategy = 'None';
  if (spec.scope === undefined) spec.scope = 'Namespaced';
}

const storageVersion = (crd: KObject): string | undefined => {
  const versions = isPlainObject(crd.spec) && Array.isArray(crd.spec.versions) ? crd.spec.versions : [];
  const v = versions.find((x) => isPlainObject(x) && x.storage === true) as Obj | undefined;
  return typeof v?.name === 'string' ? v.name : undefined;
};

function prepareForCreate(crd: KObject): void {
  applyDefaults(crd);
  const sv = storageVersion(crd);
  crd.status = { conditions: [], acceptedNames: { plural: '', kind: '' }, storedVersions: sv ? [sv] : [] };
  const fin = new Set(crd.metadata.finalizers ?? []);
  fin.add(CLEANUP_FINALIZER);
  crd.metadata.finalizers = [...fin];
}

function prepareForUpdate(crd: KObject, old: KObject, ctx: OperationContext): void {
  if (ctx.subresource === 'status') return;
  applyDefaults(crd);
  const stored = isPlainObject(old.status) && Array.isArray(old.status.storedVersions) ? [...(old.status.storedVersions as string[])] : [];
  const sv = storageVersion(crd);
  if (sv && !stored.includes(sv)) {
    stored.push(sv);
    crd.status = { ...(isPlainObject(crd.status) ? crd.status : {}), storedVersions: stored };
  }
}

/** Deleting a CRD starts with its objects: the Terminating condition says so until they are gone. */
function prepareForDelete(crd: KObject): void {
  const status = isPlainObject(crd.status) ? clone(crd.status) : {};
  const conditions = crdConditions({ ...crd, status }).filter((c) => c.type !== 'Terminating');
  conditions.push({
    type: 'Terminating',
    status: 'True',
    reason: 'InstanceDeletionPending',
    message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
    lastTransitionTime: nowIso(),
  } satisfies CrdCondition);
  crd.status = { ...status, conditions };
}

function validateStatus(crd: KObject): FieldError[] {
  const st = isPlainObject(crd.status) ? crd.status : {};
  const accepted = (isPlainObject(st.acceptedNames) ? st.acceptedNames : {}) as never;
  return validateNames(accepted, 'status.acceptedNames', false);
}

export const customResourceDefinitionDefinition: ResourceDefinition = defineResource({
  group: CRD_GROUP,
  version: 'v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  namespaced: false,
  description:
    'CustomResourceDefinition represents a resource that should be exposed on the API server. Its name MUST be in the format <.spec.name>.<.spec.group>.',
  schema: Type.Object({ spec: CrdSpecSchema, status: opt(CrdStatusSchema) }, { description: 'A custom resource definition.' }),
  subresources: { status: true },
  // Served by the API server itself, as in kube: kubectl apply sends strategic merge patches.
  strategicMerge: true,
  columns: [nameColumn, { name: 'Created At', type: 'string', format: 'date-time', description: 'When the definition was created.', value: (o) => o.metadata.creationTimestamp, jsonPath: '.metadata.creationTimestamp' }],
  strategy: {
    prepareForCreate,
    prepareForUpdate,
    prepareForDelete,
    validate: (crd) => [...validateCrd(crd), ...validateStatus(crd)],
    validateUpdate: (crd, old, ctx) => (ctx.subresource === 'status' ? validateStatus(crd) : [...validateCrdUpdate(crd, old), ...validateStatus(crd)]),
  },
});
