// Reads the Kubernetes list/map extension keywords out of a resource's JSON
// schema, so patching and field ownership can ask "how does this list merge?"
// at any path. A missing answer (undefined schema) means the path is open or
// unknown: callers then fall back to plain JSON semantics (lists are atomic).

export type Schema = Readonly<Record<string, unknown>>;

const STRING = { type: 'string' } as const;

/** ObjectMeta as the patch machinery needs to see it (definitions only describe the body). */
const METADATA_SCHEMA: Schema = {
  type: 'object',
  properties: {
    name: STRING,
    generateName: STRING,
    namespace: STRING,
    uid: STRING,
    resourceVersion: STRING,
    selfLink: STRING,
    creationTimestamp: STRING,
    deletionTimestamp: STRING,
    generation: { type: 'integer' },
    deletionGracePeriodSeconds: { type: 'integer' },
    labels: { type: 'object', additionalProperties: STRING },
    annotations: { type: 'object', additionalProperties: STRING },
    finalizers: {
      type: 'array',
      items: STRING,
      'x-kubernetes-list-type': 'set',
      'x-kubernetes-patch-strategy': 'merge',
    },
    ownerReferences: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          apiVersion: STRING,
          kind: STRING,
          name: STRING,
          uid: STRING,
          controller: { type: 'boolean' },
          blockOwnerDeletion: { type: 'boolean' },
        },
      },
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['uid'],
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-patch-merge-key': 'uid',
    },
    managedFields: { type: 'array', items: { type: 'object' }, 'x-kubernetes-list-type': 'atomic' },
  },
};

const rootCache = new WeakMap<object, Schema>();

/** For callers without a schema: only metadata is known, everything else is open. */
const OPEN_ROOT: Schema = {
  type: 'object',
  properties: { apiVersion: STRING, kind: STRING, metadata: METADATA_SCHEMA },
  'x-kubernetes-preserve-unknown-fields': true,
};

/**
 * The schema of a whole object: the definition's body schema plus apiVersion,
 * kind and metadata. Cached per body schema, since this runs on every write.
 */
export function rootSchema(body: Schema | undefined): Schema {
  if (!body) return OPEN_ROOT;
  let root = rootCache.get(body);
  if (!root) {
    const props = (body.properties ?? {}) as Record<string, unknown>;
    root = { ...body, type: 'object', properties: { ...props, apiVersion: STRING, kind: STRING, metadata: props.metadata ?? METADATA_SCHEMA } };
    rootCache.set(body, root);
  }
  return root;
}

const asSchema = (v: unknown): Schema | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Schema) : undefined);

/** Value schema of a free-form map: `additionalProperties`, or TypeBox Record's `patternProperties`. */
function mapValues(s: Schema): Schema | undefined {
  const extra = asSchema(s.additionalProperties);
  if (extra) return extra;
  const patterns = asSchema(s.patternProperties);
  return patterns ? asSchema(Object.values(patterns)[0]) : undefined;
}

/** Sees through anyOf/oneOf/allOf wrappers to the branch that describes structure. */
function resolve(s: Schema | undefined): Schema | undefined {
  if (!s || s.properties || s.items || s.additionalProperties !== undefined || s.patternProperties) return s;
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const branches = s[key];
    if (!Array.isArray(branches)) continue;
    for (const b of branches) {
      const r = resolve(asSchema(b));
      if (r && (r.properties || r.items || mapValues(r))) return r;
    }
  }
  return s;
}

/** Schema of `key` inside an object schema; undefined when the object is open or unknown. */
export function fieldSchema(s: Schema | undefined, key: string): Schema | undefined {
  const r = resolve(s);
  if (!r) return undefined;
  const props = asSchema(r.properties);
  if (props && Object.hasOwn(props, key)) return resolve(asSchema(props[key]));
  return resolve(mapValues(r));
}

/** True when `key` is a declared property (a struct field), not an entry of a map. */
export function isDeclaredField(s: Schema | undefined, key: string): boolean {
  const props = asSchema(resolve(s)?.properties);
  return !!props && Object.hasOwn(props, key);
}

export const itemsSchema = (s: Schema | undefined): Schema | undefined => resolve(asSchema(resolve(s)?.items));

export const isAtomicMap = (s: Schema | undefined): boolean => s?.['x-kubernetes-map-type'] === 'atomic';

export interface ListShape {
  type: 'atomic' | 'set' | 'map';
  /** Key fields of a keyed list, sorted by name. */
  keys: string[];
}

const ATOMIC: ListShape = { type: 'atomic', keys: [] };
const SET: ListShape = { type: 'set', keys: [] };

/**
 * How server-side apply treats a list. Schemas that only carry the older
 * patch-strategy hints get the equivalent list type, as kube's built-in types do.
 */
export function listShape(s: Schema | undefined): ListShape {
  if (!s) return ATOMIC;
  let shape = shapeCache.get(s);
  if (!shape) shapeCache.set(s, (shape = computeListShape(s)));
  return shape;
}

const shapeCache = new WeakMap<Schema, ListShape>();

function computeListShape(s: Schema): ListShape {
  const t = s['x-kubernetes-list-type'];
  if (t === 'set') return SET;
  if (t === 'map') {
    const keys = s['x-kubernetes-list-map-keys'];
    // Sorted once here: keyed item elements list their key fields in name order.
    return Array.isArray(keys) && keys.length > 0 ? { type: 'map', keys: [...(keys as string[])].sort() } : ATOMIC;
  }
  if (t === 'atomic') return ATOMIC;
  const meta = patchMeta(s);
  if (meta.strategy === 'merge') return meta.mergeKey ? { type: 'map', keys: [meta.mergeKey] } : SET;
  return ATOMIC;
}

export interface PatchMeta {
  strategy?: 'merge' | 'replace';
  retainKeys: boolean;
  mergeKey?: string;
}

/** Strategic-merge hints of a field (x-kubernetes-patch-strategy / -merge-key). */
export function patchMeta(s: Schema | undefined): PatchMeta {
  const raw = s?.['x-kubernetes-patch-strategy'];
  const parts = typeof raw === 'string' ? raw.split(',').map((p) => p.trim()) : [];
  const key = s?.['x-kubernetes-patch-merge-key'];
  return {
    strategy: parts.includes('merge') ? 'merge' : parts.includes('replace') ? 'replace' : undefined,
    retainKeys: parts.includes('retainKeys'),
    mergeKey: typeof key === 'string' && key ? key : undefined,
  };
}

/** A free-form map (`additionalProperties` only): emptied maps are dropped, as Go's omitempty does. */
export const isMapSchema = (s: Schema | undefined): boolean =>
  !!s && Object.keys(asSchema(s.properties) ?? {}).length === 0 && !!mapValues(s);
