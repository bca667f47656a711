// A CustomResourceDefinition becomes data the generic server already serves:
// one ResourceDefinition per served version, whose schema is the version's
// openAPIV3Schema (prepared for pruning, defaulting and Ajv), whose columns
// come from additionalPrinterColumns and whose strategy evaluates the CEL
// rules compiled here, once per CRD change.

import { defineResource, type PrinterColumn, type ResourceDefinition, type Strategy } from '../definition.js';
import { methodNotAllowed, type FieldError } from '../errors.js';
import { getPath, type KObject } from '../object.js';
import { ageColumn, nameColumn } from '../core/columns.js';
import { compileRules, evaluateRules, type RuleNode } from './cel-rules.js';
import { printerColumns } from './printer-columns.js';
import { checkListTypes, compileListTypes, type ListNode } from './list-types.js';
import { prepareSchema } from './structural-schema.js';
import { compareVersions, crdSpec, type CrdNames, type CrdVersion } from './crd-types.js';

export interface CrdServing {
  /** Names to serve under (status.acceptedNames once accepted). */
  names: CrdNames;
  /** While the CRD is being deleted objects may be read and deleted, not created. */
  terminating: boolean;
}

const ROOT_RESERVED = new Set(['apiVersion', 'kind', 'metadata']);

/** Served versions in kube's priority order (the first is the preferred version). */
export function servedVersions(crd: KObject): CrdVersion[] {
  return crdSpec(crd)
    .versions.filter((v) => v.served)
    .sort((a, b) => compareVersions(a.name, b.name));
}

export function definitionsForCrd(crd: KObject, serving: CrdServing): ResourceDefinition[] {
  const spec = crdSpec(crd);
  const storage = spec.versions.find((v) => v.storage)?.name;
  return servedVersions(crd).map((v) => versionDefinition(crd, v, serving, storage));
}

function bodySchema(openAPIV3Schema: Record<string, unknown>): Record<string, unknown> {
  const prepared = prepareSchema(openAPIV3Schema);
  const props = { ...((prepared.properties as Record<string, unknown>) ?? {}) };
  for (const k of ROOT_RESERVED) delete props[k];
  const required = ((prepared.required as string[]) ?? []).filter((r) => !ROOT_RESERVED.has(r));
  const body: Record<string, unknown> = { ...prepared, type: 'object', properties: props };
  if (required.length) body.required = required;
  else delete body.required;
  return body;
}

function columnsOf(v: CrdVersion): PrinterColumn[] {
  const own = v.additionalPrinterColumns ?? [];
  return own.length ? [nameColumn, ...printerColumns(own)] : [nameColumn, ageColumn];
}

function versionDefinition(crd: KObject, v: CrdVersion, serving: CrdServing, storage: string | undefined): ResourceDefinition {
  const spec = crdSpec(crd);
  const names = serving.names;
  const raw = v.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  const rules = compileRules(raw, '', []);
  const lists = compileListTypes(raw);
  const status = !!v.subresources?.status;
  const scale = v.subresources?.scale;
  const selectable: Record<string, (o: KObject) => string | undefined> = {};
  for (const f of v.selectableFields ?? []) {
    selectable[f.jsonPath.replace(/^\./, '')] = (o) => {
      const x = getPath(o, f.jsonPath);
      return x === undefined || x === null ? undefined : String(x);
    };
  }
  return defineResource({
    group: spec.group,
    version: v.name,
    kind: names.kind,
    listKind: names.listKind ?? `${names.kind}List`,
    plural: names.plural,
    singular: names.singular ?? names.kind.toLowerCase(),
    ...(names.shortNames?.length ? { shortNames: names.shortNames } : {}),
    ...(names.categories?.length ? { categories: names.categories } : {}),
    namespaced: spec.scope === 'Namespaced',
    description: typeof raw.description === 'string' ? raw.description : undefined,
    schema: bodySchema(raw) as never,
    ...(status || scale ? { subresources: { ...(status ? { status: true } : {}), ...(scale ? { scale } : {}) } } : {}),
    columns: columnsOf(v),
    ...(Object.keys(selectable).length ? { selectableFields: selectable } : {}),
    strategicMerge: false,
    storageVersion: storage,
    strategy: crStrategy(rules, lists, status, serving.terminating),
  });
}

/** What a custom resource's writes go through besides the schema: unique set and map list entries, CEL rules, and no creates while terminating. */
function crStrategy(rules: RuleNode | undefined, lists: ListNode | undefined, status: boolean, terminating: boolean): Strategy {
  const check = (obj: KObject, old: KObject | undefined): FieldError[] => [
    ...(lists ? checkListTypes(lists, obj, '') : []),
    ...(rules ? evaluateRules(rules, obj, old, '', old !== undefined) : []),
  ];
  return {
    prepareForCreate: (obj) => {
      if (terminating) throw methodNotAllowed(`create not allowed while custom resource definition is terminating`);
      // As kube does for CRDs with a status subresource: status is written through /status only.
      if (status) delete obj.status;
    },
    validate: (obj) => check(obj, undefined),
    validateUpdate: (obj, old) => check(obj, old),
  };
}
