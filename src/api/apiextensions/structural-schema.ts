// Checks that a CRD version's openAPIV3Schema is structural, with the messages
// kube-apiserver gives (apiextensions validation and structural schema
// invariants), and prepares a checked schema for the generic machinery: Ajv
// validation, pruning of unknown fields, defaulting and list/map semantics.

import { fieldError, type FieldError } from '../errors.js';
import { isPlainObject } from '../object.js';

type S = Record<string, unknown>;
type Level = 'root' | 'item' | 'field';

const NOT_SUPPORTED: [string, string][] = [
  ['$ref', '$ref is not supported'],
  ['id', 'id is not supported'],
  ['$schema', '$schema is not supported'],
  ['additionalItems', 'additionalItems is not supported'],
  ['patternProperties', 'patternProperties is not supported'],
  ['definitions', 'definitions is not supported'],
  ['dependencies', 'dependencies is not supported'],
];

const TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const LIST_TYPES = ['atomic', 'map', 'set'];
const MAP_TYPES = ['atomic', 'granular'];

const prop = (path: string, k: string) => `${path}.properties[${k}]`;

/** Every violation of the schema rooted at `path` (`spec.versions[0].schema.openAPIV3Schema`). */
export function validateStructural(schema: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  walk(schema, 'root', path, errs, false);
  errs.sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
  return errs;
}

function walk(raw: unknown, lvl: Level, path: string, errs: FieldError[], nested: boolean): void {
  if (!isPlainObject(raw)) {
    errs.push(fieldError.invalid(path, raw, 'must be a schema object'));
    return;
  }
  const s = raw as S;
  for (const [k, msg] of NOT_SUPPORTED) if (s[k] !== undefined) errs.push(fieldError.forbidden(`${path}.${k}`, msg));
  if (s.uniqueItems === true) errs.push(fieldError.forbidden(`${path}.uniqueItems`, 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  if (s.type === 'null') errs.push(fieldError.forbidden(`${path}.type`, 'type cannot be set to null, use nullable as an alternative'));
  else if (s.type !== undefined && !TYPES.includes(s.type as string)) errs.push(fieldError.notSupported(`${path}.type`, s.type, TYPES));
  if (Array.isArray(s.items)) errs.push(fieldError.forbidden(`${path}.items`, 'items must be a schema object and not an array'));
  const props = isPlainObject(s.properties) ? (s.properties as S) : undefined;
  const ap = s.additionalProperties;
  if (ap !== undefined && props && Object.keys(props).length && (ap === false || isPlainObject(ap))) {
    errs.push(fieldError.forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'));
  }
  if (typeof s.pattern === 'string') {
    try {
      new RegExp(s.pattern, 'u');
    } catch (e) {
      errs.push(fieldError.invalid(`${path}.pattern`, s.pattern, `must be a valid regular expression, but isn't: ${(e as Error).message}`));
    }
  }
  if (nested) {
    nestedRules(s, path, errs);
  } else structuralRules(s, lvl, path, errs);
  if (props) for (const [k, v] of Object.entries(props)) walk(v, 'field', prop(path, k), errs, nested);
  if (isPlainObject(s.items)) walk(s.items, 'item', `${path}.items`, errs, nested);
  if (isPlainObject(ap)) walk(ap, 'field', `${path}.additionalProperties`, errs, nested);
  const intOrStringAnyOf = isIntOrStringPattern(s.anyOf);
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = s[k];
    if (!Array.isArray(list)) continue;
    list.forEach((b, i) => {
      if (k === 'anyOf' && intOrStringAnyOf) return;
      if (k === 'allOf' && i === 0 && isPlainObject(b) && isIntOrStringPattern((b as S).anyOf)) return;
      walk(b, lvl, `${path}.${k}[${i}]`, errs, true);
    });
  }
  if (isPlainObject(s.not)) walk(s.not, lvl, `${path}.not`, errs, true);
}

function isIntOrStringPattern(v: unknown): boolean {
  if (!Array.isArray(v) || v.length !== 2) return false;
  const [a, b] = v as S[];
  const only = (x: S, t: string) => isPlainObject(x) && x.type === t && Object.keys(x).length === 1;
  return only(a, 'integer') && only(b, 'string');
}

/** The generic invariants of a structural schema's own (non-junctor) nodes. */
function structuralRules(s: S, lvl: Level, path: string, errs: FieldError[]): void {
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  if (s.type === 'array' && s.items === undefined) errs.push(fieldError.required(`${path}.items`, 'must be specified'));
  if (embedded && s.type !== 'object') {
    if (s.type === undefined) errs.push(fieldError.required(`${path}.type`, 'must be object if x-kubernetes-embedded-resource is true'));
    else errs.push(fieldError.invalid(`${path}.type`, s.type, 'must be object if x-kubernetes-embedded-resource is true'));
  } else if (s.type === undefined && !intOrString && !preserve) {
    const detail = lvl === 'root' ? 'must not be empty at the root' : lvl === 'item' ? 'must not be empty for specified array items' : 'must not be empty for specified object fields';
    errs.push(fieldError.required(`${path}.type`, detail));
  }
  if (embedded && s.additionalProperties !== undefined) {
    errs.push(fieldError.forbidden(`${path}.additionalProperties`, 'must not be used if x-kubernetes-embedded-resource is set'));
  }
  if (lvl === 'root' && s.type !== undefined && s.type !== 'object') errs.push(fieldError.invalid(`${path}.type`, s.type, 'must be object at the root'));
  if (lvl === 'root' && s.additionalProperties !== undefined) errs.push(fieldError.forbidden(`${path}.additionalProperties`, 'must not be used at the root'));
  if (intOrString && preserve) {
    errs.push(fieldError.invalid(`${path}.x-kubernetes-preserve-unknown-fields`, true, 'must be false if x-kubernetes-int-or-string is true'));
  }
  if (intOrString && embedded) errs.push(fieldError.invalid(`${path}.x-kubernetes-embedded-resource`, true, 'must be false if x-kubernetes-int-or-string is true'));
  const props = isPlainObject(s.properties) ? (s.properties as S) : {};
  if (lvl === 'root' || embedded) {
    for (const [k, t] of [['kind', 'string'], ['apiVersion', 'string'], ['metadata', 'object']] as const) {
      const p = props[k] as S | undefined;
      if (p && p.type !== t) errs.push(fieldError.invalid(`${prop(path, k)}.type`, p.type ?? '', `must be ${t}`));
    }
  }
  if (lvl === 'root' && isPlainObject(props.metadata)) {
    const mp = isPlainObject((props.metadata as S).properties) ? Object.keys((props.metadata as S).properties as S) : [];
    const other = Object.keys(props.metadata as S).filter((k) => !['type', 'properties'].includes(k));
    if (other.length || mp.some((k) => k !== 'name' && k !== 'generateName')) {
      errs.push(fieldError.forbidden(prop(path, 'metadata'), 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
    }
  }
  if (embedded && !preserve && Object.keys(props).length === 0) {
    errs.push(fieldError.required(`${path}.properties`, 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'));
  }
  listAndMapRules(s, path, errs);
}

function listAndMapRules(s: S, path: string, errs: FieldError[]): void {
  const lt = s['x-kubernetes-list-type'];
  const keys = s['x-kubernetes-list-map-keys'];
  if (lt !== undefined) {
    if (!LIST_TYPES.includes(lt as string)) errs.push(fieldError.notSupported(`${path}.x-kubernetes-list-type`, lt, LIST_TYPES));
    else if (s.type !== 'array') errs.push(fieldError.invalid(`${path}.type`, s.type ?? '', 'must be array if x-kubernetes-list-type is specified'));
  }
  if (lt === 'map') {
    if (!Array.isArray(keys) || keys.length === 0) {
      errs.push(fieldError.required(`${path}.x-kubernetes-list-map-keys`, 'must not be empty if x-kubernetes-list-type is map'));
    } else {
      const item = isPlainObject(s.items) ? (s.items as S) : {};
      const ip = isPlainObject(item.properties) ? (item.properties as S) : {};
      const req = Array.isArray(item.required) ? (item.required as string[]) : [];
      if (item.type !== 'object') errs.push(fieldError.invalid(`${path}.items.type`, item.type ?? '', 'must be object if parent array\'s x-kubernetes-list-type is map'));
      for (const [i, k] of (keys as string[]).entries()) {
        const ks = ip[k] as S | undefined;
        if (!ks) errs.push(fieldError.invalid(`${path}.x-kubernetes-list-map-keys[${i}]`, k, 'entries must all be names of item properties'));
        else if (!req.includes(k) && ks.default === undefined) {
          errs.push(fieldError.required(`${path}.items.properties[${k}]`, 'all map keys must be required or have a default value'));
        }
      }
    }
  } else if (Array.isArray(keys) && keys.length) {
    errs.push(fieldError.forbidden(`${path}.x-kubernetes-list-map-keys`, 'must not be set if x-kubernetes-list-type is not map'));
  }
  const mt = s['x-kubernetes-map-type'];
  if (mt !== undefined && !MAP_TYPES.includes(mt as string)) errs.push(fieldError.notSupported(`${path}.x-kubernetes-map-type`, mt, MAP_TYPES));
}

/** Inside allOf/anyOf/oneOf/not only value validations may appear. */
function nestedRules(s: S, path: string, errs: FieldError[]): void {
  const empty = (k: string, what: 'must be empty' | 'must be undefined' | 'must be false') => {
    const v = s[k];
    if (v !== undefined && v !== false && v !== '') errs.push(fieldError.forbidden(`${path}.${k}`, `${what} to be structural`));
  };
  empty('type', 'must be empty');
  empty('additionalProperties', 'must be undefined');
  empty('default', 'must be undefined');
  empty('title', 'must be empty');
  empty('description', 'must be empty');
  empty('nullable', 'must be false');
  empty('x-kubernetes-preserve-unknown-fields', 'must be false');
  empty('x-kubernetes-embedded-resource', 'must be false');
  empty('x-kubernetes-int-or-string', 'must be false');
  if (Array.isArray(s['x-kubernetes-list-map-keys']) && (s['x-kubernetes-list-map-keys'] as unknown[]).length) {
    errs.push(fieldError.forbidden(`${path}.x-kubernetes-list-map-keys`, 'must be empty to be structural'));
  }
  empty('x-kubernetes-list-type', 'must be undefined');
  if (isPlainObject(s.properties) && 'metadata' in (s.properties as S)) {
    errs.push(fieldError.forbidden(prop(path, 'metadata'), 'must not be specified in a nested context'));
  }
}

const EMBEDDED_PROPS = {
  apiVersion: { type: 'string', description: 'APIVersion of the embedded object.' },
  kind: { type: 'string', description: 'Kind of the embedded object.' },
  metadata: { type: 'object', description: 'Metadata of the embedded object.', 'x-kubernetes-preserve-unknown-fields': true },
};

/**
 * A copy of a checked structural schema shaped for the generic machinery: closed
 * objects get explicit `properties` (so pruning drops unknown fields), int-or-string
 * gets its type union, embedded resources get apiVersion/kind/metadata, and junctor
 * branches keep only value validations (so Ajv and the pruner never mistake them for
 * structure).
 */
export function prepareSchema(raw: unknown): S {
  const s = { ...(raw as S) };
  if (isPlainObject(s.properties)) s.properties = Object.fromEntries(Object.entries(s.properties as S).map(([k, v]) => [k, prepareSchema(v)]));
  if (isPlainObject(s.items)) s.items = prepareSchema(s.items);
  if (isPlainObject(s.additionalProperties)) s.additionalProperties = prepareSchema(s.additionalProperties);
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (s['x-kubernetes-embedded-resource'] === true) {
    s.properties = { ...EMBEDDED_PROPS, ...((s.properties as S) ?? {}) };
    const req = new Set([...((s.required as string[]) ?? []), 'apiVersion', 'kind']);
    s.required = [...req];
  }
  if (s.type === 'object' && s.properties === undefined && s.additionalProperties === undefined && !preserve) s.properties = {};
  if (s['x-kubernetes-int-or-string'] === true && s.anyOf === undefined && s.allOf === undefined) {
    s.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  // Ajv reads `nullable` only beside a `type`.
  if (s.nullable === true && s.type === undefined) delete s.nullable;
  return s;
}
