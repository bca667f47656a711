// A resource definition is data: everything the generic API server needs to
// serve one kind (names, scope, schema, columns, subresources, per-kind
// strategy hooks). Adding a kind adds a definition, never a branch in the server.

import type { TSchema } from '@sinclair/typebox';
import type { FieldError } from './errors.js';
import type { KObject } from './object.js';

export type Verb = 'create' | 'get' | 'list' | 'watch' | 'update' | 'patch' | 'delete' | 'deletecollection';
export const ALL_VERBS: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description?: string;
  /** 0: always shown; >0: only with `-o wide`. */
  priority?: number;
  /** A simple JSONPath (`.status.phase`); ignored when `value` is given, except by the CRDs
   * `workplane crds` generates, where it stands in for `value`. */
  jsonPath?: string;
  /** Computed cell for columns a JSONPath cannot express (e.g. Pod READY `1/2`). */
  value?: (obj: KObject, now: number) => unknown;
}

export interface ScaleSubresource {
  specReplicasPath: string; // e.g. `.spec.replicas`
  statusReplicasPath: string; // e.g. `.status.replicas`
  labelSelectorPath?: string; // e.g. `.status.selector`
}

/** The user and request facts strategies and admission may look at. */
export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export interface OperationContext {
  user: UserInfo;
  dryRun: boolean;
  /** Which subresource is being written (`status`, `scale`, ...), if any. */
  subresource?: string;
}

/** Per-kind hooks, in kube-apiserver's strategy order: prepare (mutates) → validate (never mutates). */
export interface Strategy {
  prepareForCreate?(obj: KObject, ctx: OperationContext): void;
  validate?(obj: KObject, ctx: OperationContext): FieldError[];
  prepareForUpdate?(obj: KObject, old: KObject, ctx: OperationContext): void;
  validateUpdate?(obj: KObject, old: KObject, ctx: OperationContext): FieldError[];
  /** Graceful deletion (pods): return a grace period in seconds to mark the object
   * deleting instead of removing it at once; undefined removes it now. */
  gracefulDeletionSeconds?(obj: KObject, requested: number | undefined): number | undefined;
  /** Extra conditions, besides metadata.finalizers, that keep a deleting object
   * in storage (namespaces wait for spec.finalizers). */
  pendingFinalization?(obj: KObject): boolean;
  /** Runs on delete before finalizers are considered (namespaces become Terminating). */
  prepareForDelete?(obj: KObject): void;
}

export interface ResourceDefinition {
  group: string; // '' for core
  version: string;
  kind: string;
  listKind?: string; // default `${kind}List`
  plural: string;
  singular: string;
  shortNames?: string[];
  categories?: string[];
  namespaced: boolean;
  description?: string;
  /** JSON schema (TypeBox) of the object's body: the properties besides apiVersion/kind/metadata. */
  schema: TSchema;
  subresources?: { status?: boolean; scale?: ScaleSubresource };
  /** Extra subresource names served by custom handlers (log, binding, token, finalize...). */
  extraSubresources?: string[];
  columns?: PrinterColumn[];
  /** Fields usable in fieldSelector beyond metadata.name / metadata.namespace. */
  selectableFields?: Record<string, (obj: KObject) => string | undefined>;
  strategy?: Strategy;
  /** Core kinds accept strategic merge patch; custom kinds answer 415 as for CRDs. */
  strategicMerge?: boolean;
  /**
   * A delete that removes the object at once answers with the object (kube's
   * ReturnDeletedObject: pods, service accounts...); otherwise with a Status
   * `Success` naming it. An object left in place (finalizers, grace) is always
   * returned as it now is.
   */
  returnDeletedObject?: boolean;
  verbs?: Verb[];
  /** How metadata.name is validated (default: DNS-1123 subdomain). */
  nameFormat?: 'dns1123-subdomain' | 'dns1123-label' | 'dns1035-label' | 'path-segment';
  /** Create-only review kinds (SelfSubjectAccessReview...) that are never stored. */
  virtual?: boolean;
  /** When several versions of a kind share storage (CRDs): the version objects are stored as. */
  storageVersion?: string;
}

export const gvString = (d: Pick<ResourceDefinition, 'group' | 'version'>) => (d.group ? `${d.group}/${d.version}` : d.version);
export const qualifiedResource = (d: Pick<ResourceDefinition, 'group' | 'plural'>) => (d.group ? `${d.plural}.${d.group}` : d.plural);
export const listKindOf = (d: ResourceDefinition) => d.listKind ?? `${d.kind}List`;

/** Helper for definitions: fills defaults. */
export function defineResource(d: ResourceDefinition): ResourceDefinition {
  return { verbs: d.virtual ? ['create'] : ALL_VERBS, ...d };
}
