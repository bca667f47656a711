// Builds the OpenAPI v3 documents kube-apiserver publishes under /openapi/v3:
// a root listing one document per group-version, and each document laid out
// as kube lays it out. kubectl reads them for `explain`, to learn that writes
// accept `fieldValidation` (so it validates on the server instead of fetching
// /openapi/v2), and, for kinds advertising strategic merge, to compute the
// patch `apply` sends. Documents are built lazily and serialized once: kubectl
// fetches them on every apply.

import { createHash } from 'node:crypto';
import { ALL_VERBS, type ResourceDefinition, type Verb } from '../api/definition.js';
import type { CompiledDefinition } from '../registry/compiled-definition.js';

type Json = Record<string, unknown>;

export interface OpenApiSource {
  group: string;
  version: string;
  defs: CompiledDefinition[];
}

export interface OpenApiDocument {
  /** The document as JSON bytes. */
  body: Buffer;
  /** Upper-case hex SHA-512 of `body`, as kube computes it; serve it as `ETag: "<etag>"`. */
  etag: string;
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
export const OBJECT_META = `${META}ObjectMeta`;
export const LIST_META = `${META}ListMeta`;
export const STATUS = `${META}Status`;
export const DELETE_OPTIONS = `${META}DeleteOptions`;
export const PATCH = `${META}Patch`;
export const SCALE = 'io.k8s.api.autoscaling.v1.Scale';

/** The key of a group-version under /openapi/v3: `api/v1`, `apis/kuma.io/v1alpha1`. */
export const openApiPath = (group: string, version: string) => (group ? `apis/${group}/${version}` : `api/${version}`);

export class OpenApiPublisher {
  private built?: { root: Json; docs: Map<string, OpenApiDocument> };

  constructor(private readonly sources: () => OpenApiSource[]) {}

  /** Body of GET /openapi/v3. */
  root(): object {
    return this.build().root;
  }

  /** One group-version document; `path` as in the root (`api/v1`), a leading `/` or a query is ignored. */
  document(path: string): OpenApiDocument | undefined {
    const key = path.replace(/^\/+/, '').replace(/^openapi\/v3\//, '').split('?')[0]!.replace(/\/+$/, '');
    return this.build().docs.get(key);
  }

  /** Call when the set of served kinds changes; the next read rebuilds. */
  invalidate(): void {
    this.built = undefined;
  }

  private build() {
    if (this.built) return this.built;
    const merged = new Map<string, OpenApiSource>();
    for (const s of this.sources()) {
      const key = openApiPath(s.group, s.version);
      const prev = merged.get(key);
      merged.set(key, prev ? { ...prev, defs: [...prev.defs, ...s.defs] } : s);
    }
    const docs = new Map<string, OpenApiDocument>();
    const paths: Json = {};
    for (const key of [...merged.keys()].sort()) {
      const body = Buffer.from(JSON.stringify(openApiDocument(merged.get(key)!)));
      const etag = createHash('sha512').update(body).digest('hex').toUpperCase();
      docs.set(key, { body, etag });
      paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${etag}` };
    }
    this.built = { root: { paths }, docs };
    return this.built;
  }
}

// Built-in groups keep kube's Go package names; every other group is named
// like a CRD (reversed domain), as the brief for scheduling.k8s.io asks.
const BUILTIN_PACKAGES: Record<string, string> = {
  '': 'core',
  apps: 'apps',
  batch: 'batch',
  autoscaling: 'autoscaling',
  policy: 'policy',
  'authentication.k8s.io': 'authentication',
  'authorization.k8s.io': 'authorization',
  'coordination.k8s.io': 'coordination',
  'events.k8s.io': 'events',
  'rbac.authorization.k8s.io': 'rbac',
  'networking.k8s.io': 'networking',
  'discovery.k8s.io': 'discovery',
  'storage.k8s.io': 'storage',
  'certificates.k8s.io': 'certificates',
  'node.k8s.io': 'node',
};

/** Component name of a kind: `io.k8s.api.core.v1.Pod`, `io.kuma.v1alpha1.Workload`. */
export function schemaName(group: string, version: string, kind: string): string {
  const pkg = BUILTIN_PACKAGES[group];
  const prefix = pkg ? `io.k8s.api.${pkg}` : group.split('.').reverse().join('.');
  return `${prefix}.${version}.${kind}`;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
/** A property pointing at a shared component, shaped as kube shapes it so explain shows both descriptions. */
const refProp = (name: string, description: string) => ({ description, default: {}, allOf: [ref(name)] });
const gvk = (group: string, version: string, kind: string) => ({ group, kind, version });
const str = (description: string) => ({ type: 'string', description });
const int = (description: string, format = 'int64') => ({ type: 'integer', format, description });

const API_VERSION = str('Versioned schema of this representation of the object (`group/version`, or `v1` for core).');
const KIND = str('Kind of this object, the REST resource it represents, in CamelCase.');

/** The whole document for one group-version. */
export function openApiDocument(src: OpenApiSource): Json {
  const defs = [...src.defs].sort((a, b) => (a.def.plural < b.def.plural ? -1 : a.def.plural > b.def.plural ? 1 : 0));
  const schemas: Json = {};
  const paths: Json = {};
  for (const c of defs) {
    const name = schemaName(c.def.group, c.def.version, c.def.kind);
    schemas[name] = kindSchema(c);
    if (!c.def.virtual) schemas[schemaName(c.def.group, c.def.version, c.listKind)] = listSchema(c, name);
    Object.assign(paths, resourcePaths(c, name));
  }
  const meta = defs.find((c) => isObj(props(c.fullSchema).metadata));
  Object.assign(schemas, sharedSchemas(meta ? props(meta.fullSchema).metadata : undefined));
  if (defs.some((c) => c.def.subresources?.scale)) schemas[SCALE] = scaleSchema();
  const sorted: Json = {};
  for (const k of Object.keys(schemas).sort()) sorted[k] = schemas[k];
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'unversioned' },
    paths,
    components: {
      schemas: sorted,
      securitySchemes: {
        BearerToken: { type: 'apiKey', description: 'Bearer token authentication', name: 'authorization', in: 'header' },
      },
    },
    security: [{ BearerToken: [] }],
  };
}

function kindSchema(c: CompiledDefinition): Json {
  const s = toOpenApiSchema(c.fullSchema);
  const properties = { ...(s.properties as Json | undefined) };
  properties.metadata = refProp(OBJECT_META, 'Standard object metadata.');
  return { ...s, properties, 'x-kubernetes-group-version-kind': [gvk(c.def.group, c.def.version, c.def.kind)] };
}

function listSchema(c: CompiledDefinition, itemName: string): Json {
  const p = props(c.fullSchema);
  return {
    type: 'object',
    description: `${c.listKind} is a list of ${c.def.kind} objects.`,
    required: ['items'],
    properties: {
      apiVersion: isObj(p.apiVersion) ? toOpenApiSchema(p.apiVersion) : API_VERSION,
      items: { type: 'array', description: `The ${c.def.plural} in the list.`, items: { default: {}, allOf: [ref(itemName)] } },
      kind: isObj(p.kind) ? toOpenApiSchema(p.kind) : KIND,
      metadata: refProp(LIST_META, 'Standard list metadata.'),
    },
    'x-kubernetes-group-version-kind': [gvk(c.def.group, c.def.version, c.listKind)],
  };
}

function sharedSchemas(objectMeta: unknown): Json {
  const meta = isObj(objectMeta) ? toOpenApiSchema(objectMeta) : { type: 'object' };
  return {
    [OBJECT_META]: { description: 'Metadata every persisted object carries.', ...meta },
    [LIST_META]: {
      type: 'object',
      description: 'Metadata of a list: the version it was read at and where the next page starts.',
      properties: {
        resourceVersion: str('Version of the collection this list was read at; watch from it to follow changes.'),
        continue: str('Opaque token to pass as `continue` to read the next page; empty on the last page.'),
        remainingItemCount: int('Approximate number of items after this page, when known.'),
      },
    },
    [STATUS]: {
      type: 'object',
      description: 'Result of an operation that returns no object, and the body of every error response.',
      properties: {
        apiVersion: API_VERSION,
        kind: KIND,
        metadata: refProp(LIST_META, 'Standard list metadata.'),
        status: str('`Success` or `Failure`.'),
        message: str('Human-readable explanation.'),
        reason: str('Machine-readable reason (`NotFound`, `AlreadyExists`, `Conflict`, `Invalid`...).'),
        code: int('HTTP status code of this result.', 'int32'),
        details: {
          type: 'object',
          description: 'Extra data about the reason, for example the invalid fields.',
          properties: {
            name: str('Name of the object the result is about.'),
            group: str('API group of the object.'),
            kind: str('Kind of the object.'),
            uid: str('UID of the object.'),
            retryAfterSeconds: int('Seconds the client should wait before retrying.', 'int32'),
            causes: {
              type: 'array',
              description: 'Individual problems, one per field where relevant.',
              items: {
                type: 'object',
                properties: { reason: str('Machine-readable cause.'), message: str('Human-readable cause.'), field: str('Path of the field at fault.') },
              },
            },
          },
        },
      },
      'x-kubernetes-group-version-kind': [gvk('', 'v1', 'Status')],
    },
    [DELETE_OPTIONS]: {
      type: 'object',
      description: 'Options of a delete request.',
      properties: {
        apiVersion: API_VERSION,
        kind: KIND,
        dryRun: { type: 'array', description: '`All` processes the deletion without persisting it.', items: { type: 'string', default: '' } },
        gracePeriodSeconds: int('Seconds the object may take to terminate; 0 deletes at once.'),
        propagationPolicy: str('How dependents are garbage collected: `Orphan`, `Background` or `Foreground`.'),
        orphanDependents: { type: 'boolean', description: 'Deprecated: use propagationPolicy.' },
        preconditions: {
          type: 'object',
          description: 'Delete only if the object still matches these.',
          properties: { resourceVersion: str('Expected resourceVersion.'), uid: str('Expected UID.') },
        },
      },
      'x-kubernetes-group-version-kind': [gvk('', 'v1', 'DeleteOptions')],
    },
    [PATCH]: { type: 'object', description: 'A patch document; its format follows the request Content-Type.' },
  };
}

function scaleSchema(): Json {
  return {
    type: 'object',
    description: 'The replica count of a resource, read and written through its /scale subresource.',
    properties: {
      apiVersion: API_VERSION,
      kind: KIND,
      metadata: refProp(OBJECT_META, 'Metadata of the scaled object.'),
      spec: { type: 'object', description: 'Desired scale.', properties: { replicas: int('Desired number of replicas.', 'int32') } },
      status: {
        type: 'object',
        description: 'Observed scale.',
        required: ['replicas'],
        properties: {
          replicas: int('Observed number of replicas.', 'int32'),
          selector: str('Label selector of the replicas, in query-parameter form.'),
        },
      },
    },
    'x-kubernetes-group-version-kind': [gvk('autoscaling', 'v1', 'Scale')],
  };
}

// ---- paths -------------------------------------------------------------------------------

const param = (name: string, where: 'query' | 'path', type: string, description: string) => ({
  name,
  in: where,
  description,
  ...(where === 'path' ? { required: true } : {}),
  schema: { type, uniqueItems: true },
});
const PRETTY = param('pretty', 'query', 'string', 'If true, the output is indented.');
const DRY_RUN = param('dryRun', 'query', 'string', '`All` runs every stage of the request but does not persist the result.');
const FIELD_MANAGER = param(
  'fieldManager',
  'query',
  'string',
  'Name of the actor making the change, recorded in managedFields; required for apply patches.',
);
const FIELD_VALIDATION = param(
  'fieldValidation',
  'query',
  'string',
  'How unknown or duplicate fields in the body are treated: `Ignore` drops them, `Warn` drops them with a warning, `Strict` fails the request.',
);
const FORCE = param(
  'force',
  'query',
  'boolean',
  'Apply patches only: take over fields other managers own instead of failing with a conflict.',
);
const WRITE = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION];
const DELETE = [
  DRY_RUN,
  param('gracePeriodSeconds', 'query', 'integer', 'Seconds the object may take to terminate; 0 deletes at once.'),
  param('propagationPolicy', 'query', 'string', 'How dependents are garbage collected: `Orphan`, `Background` or `Foreground`.'),
];
const LIST = [
  param('labelSelector', 'query', 'string', 'Only objects whose labels match this selector.'),
  param('fieldSelector', 'query', 'string', 'Only objects whose fields match this selector.'),
  param('limit', 'query', 'integer', 'Maximum number of items to return; the rest is reached with `continue`.'),
  param('continue', 'query', 'string', 'Token from a previous page to read the next one.'),
  param('resourceVersion', 'query', 'string', 'Read at (or, with resourceVersionMatch, relative to) this version.'),
  param('resourceVersionMatch', 'query', 'string', '`Exact` or `NotOlderThan`: how resourceVersion applies.'),
  param('watch', 'query', 'boolean', 'Stream changes instead of returning a list.'),
  param('allowWatchBookmarks', 'query', 'boolean', 'Let a watch send BOOKMARK events.'),
  param('sendInitialEvents', 'query', 'boolean', 'Start a watch with the current state as ADDED events.'),
  param('timeoutSeconds', 'query', 'integer', 'End a list or watch after this many seconds.'),
];

const ANSWERS: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted' };
function responses(codes: string[], schema: string): Json {
  const content = { 'application/json': { schema: ref(schema) }, 'application/yaml': { schema: ref(schema) } };
  const out: Json = {};
  for (const c of codes) out[c] = { description: ANSWERS[c], content };
  out['401'] = { description: 'Unauthorized' };
  return out;
}

const bodyOf = (schema: string) => ({ required: true, content: { '*/*': { schema: ref(schema) } } });
function patchBody(strategic: boolean) {
  const types = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json'];
  if (strategic) types.push('application/strategic-merge-patch+json');
  return { required: true, content: Object.fromEntries(types.map((t) => [t, { schema: ref(PATCH) }])) };
}

/** `CoreV1`, `KumaIoV1alpha1`, `CoordinationV1`: the middle of kube's operation ids. */
function gvWord(d: ResourceDefinition): string {
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const g = d.group ? d.group.replace(/\.k8s\.io$/, '').split(/[.-]/).map(cap).join('') : 'Core';
  return g + cap(d.version);
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

function resourcePaths(c: CompiledDefinition, name: string): Json {
  const d = c.def;
  const verbs = new Set<Verb>(d.verbs ?? (d.virtual ? ['create'] : ALL_VERBS));
  // Virtual (review) kinds are never stored: they only answer create.
  const has = (v: Verb) => verbs.has(v) && (!d.virtual || v === 'create');
  const gvw = gvWord(d);
  const tag = `${gvw.charAt(0).toLowerCase()}${gvw.slice(1, gvw.length - d.version.length)}_${d.version}`;
  const ns = d.namespaced ? 'Namespaced' : '';
  const listName = schemaName(d.group, d.version, c.listKind);
  const deleteBody = { requestBody: { content: { '*/*': { schema: ref(DELETE_OPTIONS) } } } };
  const op = (action: string, id: string, summary: string, parameters: Json[], resp: Json, extra: Json = {}, g?: Json) => ({
    description: summary,
    operationId: id,
    tags: [tag],
    ...(parameters.length ? { parameters } : {}),
    ...extra,
    responses: resp,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': g ?? gvk(d.group, d.version, d.kind),
  });

  const root = `/${d.group ? 'apis/' + d.group : 'api'}/${d.version}`;
  const collection = `${root}${d.namespaced ? '/namespaces/{namespace}' : ''}/${d.plural}`;
  const item = `${collection}/{name}`;
  const scope = d.namespaced ? [param('namespace', 'path', 'string', 'Namespace of the objects.')] : [];
  const itemScope = [param('name', 'path', 'string', `Name of the ${d.kind}.`), ...scope, PRETTY];
  const out: Json = {};
  const path = (p: string, parameters: Json[], ops: Partial<Record<Method, Json | false>>) => {
    const present = Object.entries(ops).filter(([, o]) => o);
    if (present.length) out[p] = { parameters, ...Object.fromEntries(present) };
  };

  const list = (suffix: string, what: string) =>
    op('list', `list${gvw}${suffix}`, `List or watch ${what}.`, LIST, responses(['200'], listName));
  path(collection, [...scope, PRETTY], {
    get: has('list') && list(`${ns}${d.kind}`, d.plural),
    post:
      has('create') &&
      op('post', `create${gvw}${ns}${d.kind}`, `Create a ${d.kind}.`, WRITE, responses(['200', '201', '202'], name), {
        requestBody: bodyOf(name),
      }),
    delete:
      has('deletecollection') &&
      op('deletecollection', `delete${gvw}Collection${ns}${d.kind}`, `Delete a collection of ${d.plural}.`, [...LIST, ...DELETE],
        responses(['200'], STATUS), deleteBody),
  });
  path(item, itemScope, {
    get: has('get') && op('get', `read${gvw}${ns}${d.kind}`, `Read the specified ${d.kind}.`, [], responses(['200'], name)),
    put:
      has('update') &&
      op('put', `replace${gvw}${ns}${d.kind}`, `Replace the specified ${d.kind}.`, WRITE, responses(['200', '201'], name), {
        requestBody: bodyOf(name),
      }),
    patch:
      has('patch') &&
      op('patch', `patch${gvw}${ns}${d.kind}`, `Partially update the specified ${d.kind}.`, [...WRITE, FORCE],
        responses(['200', '201'], name), { requestBody: patchBody(!!d.strategicMerge) }),
    delete:
      has('delete') &&
      op('delete', `delete${gvw}${ns}${d.kind}`, `Delete a ${d.kind}.`, DELETE, responses(['200', '202'], d.returnDeletedObject ? name : STATUS), deleteBody),
  });
  if (d.namespaced) {
    path(`${root}/${d.plural}`, [PRETTY], { get: has('list') && list(`${d.kind}ForAllNamespaces`, `${d.plural} in all namespaces`) });
  }

  // Subresources answer get, put and patch whatever the main resource's verbs are, as in kube.
  const sub = (suffix: string, schema: string, g: Json | undefined, strategic: boolean) => {
    const what = `${suffix.toLowerCase()} of the specified ${d.kind}`;
    path(`${item}/${suffix.toLowerCase()}`, itemScope, {
      get: op('get', `read${gvw}${ns}${d.kind}${suffix}`, `Read ${what}.`, [], responses(['200'], schema), {}, g),
      put: op('put', `replace${gvw}${ns}${d.kind}${suffix}`, `Replace ${what}.`, WRITE, responses(['200', '201'], schema),
        { requestBody: bodyOf(schema) }, g),
      patch: op('patch', `patch${gvw}${ns}${d.kind}${suffix}`, `Partially update ${what}.`, [...WRITE, FORCE],
        responses(['200', '201'], schema), { requestBody: patchBody(strategic) }, g),
    });
  };
  if (d.virtual) return out;
  if (d.subresources?.status) sub('Status', name, undefined, !!d.strategicMerge);
  if (d.subresources?.scale) sub('Scale', SCALE, gvk('autoscaling', 'v1', 'Scale'), true);
  return out;
}

// ---- schema conversion -------------------------------------------------------------------

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const props = (s: unknown): Json => (isObj(s) && isObj(s.properties) ? s.properties : {});

/** Keywords OpenAPI 3.0 shares with our JSON schemas, copied as they are. */
const PLAIN = new Set([
  'type', 'format', 'title', 'description', 'default', 'enum', 'example', 'nullable', 'readOnly', 'writeOnly', 'deprecated',
  'externalDocs', 'multipleOf', 'maximum', 'minimum', 'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems',
  'uniqueItems', 'maxProperties', 'minProperties', 'required',
]);

/**
 * Turns one of our (draft-07, TypeBox) schemas into an OpenAPI 3.0 schema as kube
 * publishes CRD schemas: `const` becomes `enum`, numeric exclusive bounds become
 * boolean ones, `null` becomes `nullable`, literal unions become enums, single-pattern
 * `patternProperties` (TypeBox records) become `additionalProperties`, int-or-string
 * becomes kube's `anyOf`, and `$id`, `$schema` and other draft-only keywords go.
 */
export function toOpenApiSchema(schema: unknown): Json {
  if (!isObj(schema)) return {};
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k.startsWith('x-')) out[k] = v;
    else if (PLAIN.has(k)) {
      if (!(k in out)) out[k] = v;
    } else if (k === 'properties' && isObj(v)) {
      out.properties = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, toOpenApiSchema(s)]));
    } else if (k === 'items') out.items = Array.isArray(v) ? (v.length === 1 ? toOpenApiSchema(v[0]) : {}) : toOpenApiSchema(v);
    else if (k === 'additionalProperties') {
      // `false` is how our schemas close objects; kube's schemas are closed by default.
      if (v === true) out[k] = true;
      else if (isObj(v)) out[k] = toOpenApiSchema(v);
    } else if (k === 'patternProperties' && isObj(v)) {
      const values = Object.values(v);
      if (values.length === 1 && !isObj(schema.additionalProperties)) out.additionalProperties = toOpenApiSchema(values[0]);
    } else if ((k === 'allOf' || k === 'anyOf' || k === 'oneOf') && Array.isArray(v)) out[k] = v.map(toOpenApiSchema);
    else if (k === 'not') out.not = toOpenApiSchema(v);
    else if (k === 'const') out.enum = [v];
    else if (k === 'examples' && Array.isArray(v) && v.length) out.example = v[0];
    else if ((k === 'exclusiveMinimum' || k === 'exclusiveMaximum') && v !== false) {
      if (typeof v === 'number') out[k === 'exclusiveMinimum' ? 'minimum' : 'maximum'] = v;
      out[k] = true;
    }
  }
  normalizeType(out);
  for (const k of ['anyOf', 'oneOf'] as const) if (Array.isArray(out[k])) simplifyAlternatives(out, k);
  if (out['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    delete out.oneOf;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  return out;
}

/** OpenAPI 3.0 has one `type` and no `null` type: `['string','null']` → `string` + nullable. */
function normalizeType(s: Json): void {
  const types = Array.isArray(s.type) ? (s.type as unknown[]) : s.type === undefined ? [] : [s.type];
  const concrete = types.filter((t) => t !== 'null');
  if (concrete.length < types.length) s.nullable = true;
  if (concrete.length === 1) s.type = concrete[0];
  else delete s.type;
}

const isNullBranch = (b: Json) =>
  (b.type === undefined && b.nullable === true && Object.keys(b).length === 1) ||
  (Array.isArray(b.enum) && b.enum.length === 1 && b.enum[0] === null);
const isLiteral = (b: Json, type: unknown) =>
  Array.isArray(b.enum) && b.type === type && Object.keys(b).every((k) => k === 'enum' || k === 'type' || k === 'description');

/** Drops `null` branches (→ nullable), folds a union of literals into one enum, unwraps a lone branch. */
function simplifyAlternatives(s: Json, key: 'anyOf' | 'oneOf'): void {
  let branches = s[key] as Json[];
  if (branches.some(isNullBranch)) {
    s.nullable = true;
    branches = branches.filter((b) => !isNullBranch(b));
  }
  const literalType = branches[0]?.type;
  const literals = branches.length > 0 && branches.every((b) => isLiteral(b, literalType));
  if (literals && (s.type === undefined || s.type === literalType)) {
    delete s[key];
    if (literalType !== undefined) s.type = literalType;
    s.enum = branches.flatMap((b) => b.enum as unknown[]);
  } else if (branches.length === 1 && s.type === undefined && s.properties === undefined) {
    delete s[key];
    for (const [k, v] of Object.entries(branches[0]!)) if (!(k in s)) s[k] = v;
  } else s[key] = branches;
}

// ---- OpenAPI v2 --------------------------------------------------------------------------

/**
 * GET /openapi/v2: an empty Swagger 2.0 document. Everything is described in v3;
 * kubectl asks v2 only for kinds v3 lacks (a custom resource whose CRD is not
 * installed), and an empty document lets it say "ensure CRDs are installed
 * first" instead of failing validation on a 404. kubectl asks for protobuf: the
 * gnostic Document with only `swagger: "2.0"` (field 1).
 */
export function emptyOpenApiV2(accept: string | undefined): { type: string; body: Buffer } {
  if (accept?.includes('application/com.github.proto-openapi.spec.v2')) {
    return { type: 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', body: Buffer.from([0x0a, 0x03, 0x32, 0x2e, 0x30]) };
  }
  const doc = { swagger: '2.0', info: { title: 'Kubernetes', version: 'unversioned' }, paths: {}, definitions: {} };
  return { type: 'application/json', body: Buffer.from(JSON.stringify(doc)) };
}

