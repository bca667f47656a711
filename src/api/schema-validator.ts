// Compiles a definition's schema once (Ajv) and turns its findings into kube
// field errors; also prunes fields the schema does not declare (as kube does for
// CRDs) and reports them, so fieldValidation=Strict can refuse them.
// Every integer is held to the range of its Go type (`format: int32`, else
// int64), and int64 further to what a JS number holds exactly (±2^53-1), so a
// value is either stored exactly or refused, never silently rounded.

import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { TSchema } from '@sinclair/typebox';
import { fieldError, type FieldError } from './errors.js';
import { isPlainObject, own } from './object.js';

const Ajv = AjvModule.default ?? AjvModule;
const ajv = new (Ajv as unknown as typeof AjvModule.default)({ allErrors: true, strict: false, useDefaults: true, validateFormats: false });

export type Schema = TSchema | Record<string, unknown>;

export interface SchemaValidatorOptions {
  /**
   * Compile on first use rather than now. For the built-in kinds, whose schemas are known
   * to compile: a server serves ~100 kinds and most see no write soon after start, so
   * compiling them all up front only delays `/readyz`. CRD schemas compile at once, so a
   * schema Ajv cannot compile is refused when the CRD is applied.
   */
  lazy?: boolean;
}

export class SchemaValidator {
  private validateFn?: ValidateFunction;

  constructor(
    readonly schema: Schema,
    opts: SchemaValidatorOptions = {},
  ) {
    if (!opts.lazy) this.compiled();
  }

  /** Applies schema defaults (mutates `body`) and returns every violation. */
  validate(body: unknown): FieldError[] {
    const fn = this.compiled();
    if (fn(body)) return [];
    return toFieldErrors(fn.errors ?? [], body);
  }

  private compiled(): ValidateFunction {
    return (this.validateFn ??= ajv.compile(withIntegerRanges(this.schema) as object));
  }
}

/** `/spec/podGroups/1/name` → `spec.podGroups[1].name`. */
export function pointerToField(ptr: string): string {
  if (ptr === '') return '';
  let out = '';
  for (const raw of ptr.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${seg}]`;
  }
  return out;
}

function valueAt(body: unknown, ptr: string): unknown {
  let cur = body;
  if (ptr === '') return cur;
  for (const raw of ptr.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) ? cur[Number(seg)] : own(cur as Record<string, unknown>, seg);
  }
  return cur;
}

/** Bounds of Go's integer types; int64 stops where JS numbers stop being exact. */
export const INTEGER_RANGES = {
  int32: { minimum: -2147483648, maximum: 2147483647 },
  int64: { minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER },
} as const;

/**
 * A copy of `schema` for Ajv in which every `type: integer` carries its
 * type's bounds (a tighter bound the schema declares wins). Integers without
 * a format are int64, as CRD integers are; int-or-string integers are int32.
 */
export function withIntegerRanges(schema: Schema): unknown {
  const walk = (node: unknown, intFormat?: 'int32'): unknown => {
    if (Array.isArray(node)) return node.map((n) => walk(n, intFormat));
    if (!isPlainObject(node)) return node;
    const out: Record<string, unknown> = {};
    const intOrString = node['x-kubernetes-int-or-string'] === true;
    for (const [k, v] of Object.entries(node)) out[k] = walk(v, intOrString && (k === 'anyOf' || k === 'oneOf') ? 'int32' : undefined);
    if (node.type === 'integer') {
      const range = INTEGER_RANGES[node.format === 'int32' || intFormat === 'int32' ? 'int32' : 'int64'];
      if (typeof node.minimum !== 'number' || node.minimum < range.minimum) out.minimum = range.minimum;
      if (typeof node.maximum !== 'number' || node.maximum > range.maximum) out.maximum = range.maximum;
    }
    return out;
  };
  return walk(schema);
}

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

function toFieldErrors(errors: ErrorObject[], body: unknown): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    // anyOf/oneOf wrappers repeat their branches' errors; keep the specific ones.
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if') continue;
    const field = pointerToField(e.instancePath);
    const value = valueAt(body, e.instancePath);
    let fe: FieldError;
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'required': {
        const f = field ? `${field}.${p.missingProperty}` : String(p.missingProperty);
        fe = fieldError.required(f);
        break;
      }
      case 'type':
        fe = fieldError.invalid(field, typeName(value), `${field} in body must be of type ${p.type}: "${typeName(value)}"`);
        fe.type = 'FieldValueTypeInvalid';
        break;
      case 'enum':
        fe = fieldError.notSupported(field, value, (p.allowedValues as unknown[]).map(String));
        break;
      case 'minimum':
        fe = fieldError.invalid(field, value, `${field} in body should be greater than or equal to ${p.limit}`);
        break;
      case 'exclusiveMinimum':
        fe = fieldError.invalid(field, value, `${field} in body should be greater than ${p.limit}`);
        break;
      case 'maximum':
        fe = fieldError.invalid(field, value, `${field} in body should be less than or equal to ${p.limit}`);
        break;
      case 'exclusiveMaximum':
        fe = fieldError.invalid(field, value, `${field} in body should be less than ${p.limit}`);
        break;
      case 'maxItems':
        fe = fieldError.tooMany(field, Array.isArray(value) ? value.length : 0, Number(p.limit));
        break;
      case 'minItems':
        fe = fieldError.invalid(field, value, `${field} in body should have at least ${p.limit} items`);
        break;
      case 'maxLength':
        fe = { field, type: 'FieldValueTooLong', value, hasValue: false, detail: `may not be more than ${p.limit} bytes` };
        break;
      case 'minLength':
        fe = fieldError.invalid(field, value, `${field} in body should be at least ${p.limit} chars long`);
        break;
      case 'pattern':
        fe = fieldError.invalid(field, value, `${field} in body should match '${p.pattern}'`);
        break;
      default:
        fe = fieldError.invalid(field, value, e.message ?? 'invalid');
    }
    const key = `${fe.field}|${fe.type}|${fe.detail}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(fe);
    }
  }
  return out;
}

/**
 * Removes fields the schema does not declare, returning their paths (`spec.foo`).
 * Closed objects are those with `properties` and no `additionalProperties`, or
 * with `additionalProperties: false`; `x-kubernetes-preserve-unknown-fields` stops the walk.
 */
export function pruneUnknown(value: unknown, schema: Schema | undefined, path: string, found: string[]): void {
  if (!schema || value === null || typeof value !== 'object') return;
  const s = schema as Record<string, unknown>;
  if (s['x-kubernetes-preserve-unknown-fields'] === true && !s.properties) return;
  // Junctors describe structure only when the node itself has none (a CRD's
  // `anyOf: [{required: [a]}, {required: [b]}]` beside properties is a value check).
  const structured = s.properties !== undefined || s.items !== undefined || s.additionalProperties !== undefined;
  for (const alt of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = s[alt] as Schema[] | undefined;
    if (branches && !structured) {
      // Prune against the first branch that is an object schema (int-or-string and friends are scalars).
      const objBranch = branches.find((b) => (b as Record<string, unknown>).type === 'object');
      if (objBranch) pruneUnknown(value, objBranch, path, found);
      return;
    }
  }
  if (Array.isArray(value)) {
    const items = s.items as Schema | undefined;
    if (items) value.forEach((v, i) => pruneUnknown(v, items, `${path}[${i}]`, found));
    return;
  }
  if (!isPlainObject(value)) return;
  const props = s.properties as Record<string, Schema> | undefined;
  const additional = s.additionalProperties as Schema | boolean | undefined;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  for (const key of Object.keys(value)) {
    const child = path ? `${path}.${key}` : key;
    const ps = props && Object.hasOwn(props, key) ? props[key] : undefined;
    if (ps) pruneUnknown(value[key], ps, child, found);
    else if (additional && typeof additional === 'object') pruneUnknown(value[key], additional, child, found);
    else if (additional === true || preserve || (!props && additional === undefined)) continue;
    else {
      found.push(child);
      delete value[key];
    }
  }
}
