// The other direction: a CustomResourceDefinition for kinds Workplane serves
// itself, generated from the same definitions, so they can be installed on any
// Kubernetes cluster (`workplane crds`). Schemas are made structural (kube's
// rules), computed printer columns fall back to their JSONPath, and checks the
// built-in strategies make in code come along as CEL rules where CEL can say them.

import { listKindOf, type ResourceDefinition } from '../../api/definition.js';
import { isPlainObject, type KObject } from '../../api/object.js';
import { toOpenApiSchema } from '../openapi.js';
import { API_APPROVED_ANNOTATION } from '../../api/apiextensions/crd-validation.js';
import { CRD_GROUP, compareVersions } from '../../api/apiextensions/crd-types.js';
import { exportRulesFor, type ExportRule } from './crd-export-rules.js';

type S = Record<string, unknown>;

/** Keywords a CRD's JSONSchemaProps accepts; anything else would be an unknown field. */
const JSON_SCHEMA_PROPS = new Set([
  'description', 'type', 'format', 'title', 'default', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum',
  'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'multipleOf', 'enum', 'maxProperties', 'minProperties',
  'required', 'items', 'allOf', 'oneOf', 'anyOf', 'not', 'properties', 'additionalProperties', 'externalDocs', 'example',
  'nullable', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource', 'x-kubernetes-int-or-string',
  'x-kubernetes-list-map-keys', 'x-kubernetes-list-type', 'x-kubernetes-map-type', 'x-kubernetes-validations',
]);

const PRESERVE = { 'x-kubernetes-preserve-unknown-fields': true } as const;

/**
 * Rewrites an OpenAPI schema into a structural one: every node typed, junctors
 * carrying no structure (object unions merged, int-or-string kept as kube spells it,
 * anything else kept open), list-map keys required, and only JSONSchemaProps fields.
 */
export function structuralize(raw: unknown): S {
  if (!isPlainObject(raw)) return { ...PRESERVE };
  let s: S = {};
  for (const [k, v] of Object.entries(raw)) if (JSON_SCHEMA_PROPS.has(k)) s[k] = v;
  if (s['x-kubernetes-int-or-string'] === true) {
    const out: S = { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] };
    for (const k of ['description', 'default', 'pattern', 'nullable', 'x-kubernetes-validations']) if (s[k] !== undefined) out[k] = s[k];
    return out;
  }
  for (const j of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = s[j];
    if (!Array.isArray(branches)) continue;
    delete s[j];
    s = mergeBranches(s, branches.filter(isPlainObject) as S[]);
  }
  delete s.not;
  // TypeBox maps are `properties: {}` beside additionalProperties; a CRD map has only the latter.
  if (isPlainObject(s.properties) && Object.keys(s.properties as S).length === 0 && s.additionalProperties !== undefined && s.additionalProperties !== false) {
    delete s.properties;
  }
  if (isPlainObject(s.properties)) {
    s.properties = Object.fromEntries(Object.entries(s.properties as S).map(([k, v]) => [k, structuralize(v)]));
    if (s.additionalProperties !== undefined) delete s.additionalProperties;
    if (s.type === undefined) s.type = 'object';
  } else if (isPlainObject(s.additionalProperties)) {
    s.additionalProperties = structuralize(s.additionalProperties);
    if (s.type === undefined) s.type = 'object';
  } else if (s.additionalProperties === true) {
    delete s.additionalProperties;
    s['x-kubernetes-preserve-unknown-fields'] = true;
    if (s.type === undefined) s.type = 'object';
  }
  if (s.type === 'array') s.items = isPlainObject(s.items) ? structuralize(s.items) : { ...PRESERVE };
  if (s.type === 'object' && s.properties === undefined && s.additionalProperties === undefined) s['x-kubernetes-preserve-unknown-fields'] = true;
  if (s.type === undefined && s['x-kubernetes-preserve-unknown-fields'] !== true && s['x-kubernetes-int-or-string'] !== true) {
    s['x-kubernetes-preserve-unknown-fields'] = true;
  }
  if (s['x-kubernetes-list-type'] === 'map') requireMapKeys(s);
  if (Array.isArray(s.required) && isPlainObject(s.properties)) {
    const req = (s.required as string[]).filter((r) => r in (s.properties as S));
    if (req.length) s.required = req;
    else delete s.required;
  }
  return s;
}

/** Folds union branches into one node: same-typed objects merge, int+string is int-or-string, the rest stays open. */
function mergeBranches(s: S, branches: S[]): S {
  const typed = branches.map((b) => structuralize(b));
  const types = new Set(typed.map((b) => b.type).filter((t) => t !== undefined));
  if (types.size === 2 && types.has('integer') && types.has('string')) {
    return { ...s, 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] };
  }
  if (types.size === 1 && typed.every((b) => b.type !== undefined)) {
    const [type] = [...types];
    const out: S = { ...s, type: s.type ?? type };
    if (type === 'object') {
      const props: S = { ...((s.properties as S) ?? {}) };
      for (const b of typed) Object.assign(props, (b.properties as S) ?? {});
      if (Object.keys(props).length) out.properties = props;
      if (typed.some((b) => b['x-kubernetes-preserve-unknown-fields'])) out['x-kubernetes-preserve-unknown-fields'] = true;
    } else if (type === 'array') {
      out.items = typed[0]!.items;
    } else if (typed.every((b) => Array.isArray(b.enum))) out.enum = typed.flatMap((b) => b.enum as unknown[]);
    return out;
  }
  const out: S = { ...s, ...PRESERVE };
  if (types.size === 1 && types.has('object')) out.type = 'object';
  return out;
}

function requireMapKeys(s: S): void {
  const keys = s['x-kubernetes-list-map-keys'];
  const item = s.items as S | undefined;
  if (!Array.isArray(keys) || !isPlainObject(item)) return;
  // Items kept open (no declared fields) still need their keys declared.
  const props = ((item.properties as S) ??= {});
  const req = new Set((item.required as string[]) ?? []);
  for (const k of keys as string[]) {
    if (!props[k]) props[k] = { type: 'string' };
    if ((props[k] as S).default === undefined) req.add(k);
  }
  if (req.size) item.required = [...req];
}

/** Adds the exported CEL rules (and schema bounds) of a kind at their paths. */
function applyRules(root: S, rules: ExportRule[]): void {
  for (const r of rules) {
    let node: S | undefined = root;
    for (const seg of r.path ? r.path.split('.') : []) {
      if (seg === '[]') node = isPlainObject(node?.items) ? (node!.items as S) : undefined;
      else node = isPlainObject(node?.properties) ? ((node!.properties as S)[seg] as S | undefined) : undefined;
      if (!node) throw new Error(`export rule path ${r.path} not found`);
    }
    if (r.schema) Object.assign(node, r.schema);
    if (r.cel) node['x-kubernetes-validations'] = [...((node['x-kubernetes-validations'] as unknown[]) ?? []), ...r.cel];
  }
}

/** The openAPIV3Schema of one definition. */
export function crdSchemaFor(def: ResourceDefinition): S {
  const body = toOpenApiSchema(def.schema);
  const props = structuralize({ type: 'object', properties: (body.properties as S) ?? {} }).properties as S;
  const root: S = {
    description: def.description ?? `${def.kind} is a ${def.group} ${def.version} resource.`,
    type: 'object',
    properties: {
      apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' },
      kind: { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' },
      metadata: { type: 'object' },
      ...props,
    },
  };
  const required = ((body.required as string[]) ?? []).filter((r) => r in props);
  if (required.length) root.required = required;
  applyRules(root, exportRulesFor(def.group, def.kind));
  return root;
}

/** Printer columns a CRD can carry (Name is implicit; computed-only columns are left out). */
export function crdColumnsFor(def: ResourceDefinition): { columns: S[]; dropped: string[] } {
  const columns: S[] = [];
  const dropped: string[] = [];
  for (const c of def.columns ?? []) {
    if (c.name.toLowerCase() === 'name') continue;
    if (!c.jsonPath) {
      dropped.push(c.name);
      continue;
    }
    columns.push({
      name: c.name,
      type: c.type,
      ...(c.format && c.format !== 'name' ? { format: c.format } : {}),
      ...(c.description ? { description: c.description } : {}),
      ...(c.priority ? { priority: c.priority } : {}),
      jsonPath: c.jsonPath,
    });
  }
  if (!columns.some((c) => c.jsonPath === '.metadata.creationTimestamp') && columns.length) {
    columns.push({ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' });
  }
  return { columns, dropped };
}

/** One CRD for every version of a kind (the first definition's names win). */
export function crdFor(defs: ResourceDefinition[]): KObject {
  const sorted = [...defs].sort((a, b) => compareVersions(a.version, b.version));
  const d = sorted[0]!;
  const storage = d.storageVersion ?? d.version;
  const protectedGroup = /(^|\.)(k8s\.io|kubernetes\.io)$/.test(d.group);
  return {
    apiVersion: `${CRD_GROUP}/v1`,
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${d.plural}.${d.group}`,
      ...(protectedGroup ? { annotations: { [API_APPROVED_ANNOTATION]: 'unapproved, generated by workplane crds' } } : {}),
    },
    spec: {
      group: d.group,
      names: {
        plural: d.plural,
        singular: d.singular,
        kind: d.kind,
        listKind: listKindOf(d),
        ...(d.shortNames?.length ? { shortNames: d.shortNames } : {}),
        ...(d.categories?.length ? { categories: d.categories } : {}),
      },
      scope: d.namespaced ? 'Namespaced' : 'Cluster',
      versions: sorted.map((v) => {
        const { columns } = crdColumnsFor(v);
        const subs: S = {};
        if (v.subresources?.status) subs.status = {};
        if (v.subresources?.scale) subs.scale = { ...v.subresources.scale };
        const selectable = Object.keys(v.selectableFields ?? {}).map((f) => ({ jsonPath: `.${f}` }));
        return {
          name: v.version,
          served: true,
          storage: v.version === storage,
          schema: { openAPIV3Schema: crdSchemaFor(v) },
          ...(Object.keys(subs).length ? { subresources: subs } : {}),
          ...(columns.length ? { additionalPrinterColumns: columns } : {}),
          ...(selectable.length ? { selectableFields: selectable } : {}),
        };
      }),
    },
  } as KObject;
}

/** CRDs for a list of definitions (virtual kinds are not stored, so they have none). */
export function crdsFor(defs: ResourceDefinition[]): KObject[] {
  const byKind = new Map<string, ResourceDefinition[]>();
  for (const d of defs) {
    if (d.virtual) continue;
    const k = `${d.group}/${d.plural}`;
    byKind.set(k, [...(byKind.get(k) ?? []), d]);
  }
  return [...byKind.values()].map(crdFor);
}
