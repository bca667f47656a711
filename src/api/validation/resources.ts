// Container resource requests and limits (kube's ValidateResourceRequirements):
// known resource names, parseable non-negative quantities, and requests that do
// not exceed limits (or equal them, for resources that cannot be overcommitted).

import { fieldError, type FieldError } from '../errors.js';
import { isPlainObject } from '../object.js';
import { canonicalQuantity, parseQuantityExact, type Quantity } from '../quantity.js';
import { child, invalidEach, key } from './field.js';
import { isQualifiedName } from './names.js';

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

const isHugePages = (name: string) => name.startsWith('hugepages-');
const isNative = (name: string) => !name.includes('/') || name.startsWith('kubernetes.io/');
/** cpu, memory and storage may be requested below their limit; extended resources and hugepages may not. */
export const isOvercommitAllowed = (name: string) => isNative(name) && !isHugePages(name);

/** The quantity as an exact integer count of nano-units, for comparisons and sums. */
export function toNano(q: Quantity): bigint {
  const e = q.exponent + 9;
  return e >= 0 ? q.mantissa * 10n ** BigInt(e) : q.mantissa / 10n ** BigInt(-e);
}

/** Parses a quantity given as string or number; undefined when malformed. */
export function quantityNano(v: unknown): bigint | undefined {
  try {
    return toNano(parseQuantityExact(String(v)));
  } catch {
    return undefined;
  }
}

const canonical = (v: unknown) => {
  try {
    return canonicalQuantity(String(v));
  } catch {
    return String(v);
  }
};

function validateResourceName(name: string, path: string): FieldError[] {
  const errs = invalidEach(path, name, isQualifiedName(name));
  if (errs.length) return errs;
  if (isNative(name) && !STANDARD_CONTAINER_RESOURCES.has(name.replace(/^kubernetes\.io\//, '')) && !isHugePages(name)) {
    errs.push(fieldError.invalid(path, name, 'must be a standard resource for containers'));
  }
  return errs;
}

function validateList(list: unknown, path: string): { errs: FieldError[]; values: Map<string, bigint> } {
  const errs: FieldError[] = [];
  const values = new Map<string, bigint>();
  if (!isPlainObject(list)) return { errs, values };
  for (const [name, raw] of Object.entries(list)) {
    const p = key(path, name);
    errs.push(...validateResourceName(name, p));
    let q: Quantity;
    try {
      q = parseQuantityExact(String(raw));
    } catch (e) {
      errs.push(fieldError.invalid(p, raw, (e as Error).message));
      continue;
    }
    if (q.mantissa < 0n) errs.push(fieldError.invalid(p, canonical(raw), 'must be greater than or equal to 0'));
    values.set(name, toNano(q));
  }
  return { errs, values };
}

/** `path` is the `resources` field, e.g. `spec.containers[0].resources`. */
export function validateResourceRequirements(resources: unknown, path: string): FieldError[] {
  if (!isPlainObject(resources)) return [];
  const limPath = child(path, 'limits');
  const reqPath = child(path, 'requests');
  const limits = validateList(resources.limits, limPath);
  const requests = validateList(resources.requests, reqPath);
  const errs = [...limits.errs, ...requests.errs];
  const rawLimits = isPlainObject(resources.limits) ? resources.limits : {};
  const rawRequests = isPlainObject(resources.requests) ? resources.requests : {};
  for (const [name, req] of requests.values) {
    const lim = limits.values.get(name);
    const shown = canonical(rawRequests[name]);
    if (lim === undefined) {
      if (!isOvercommitAllowed(name)) errs.push(fieldError.required(limPath, 'Limit must be set for non overcommitable resources'));
      continue;
    }
    if (!isOvercommitAllowed(name) && req !== lim) {
      errs.push(fieldError.invalid(reqPath, shown, `must be equal to ${name} limit of ${canonical(rawLimits[name])}`));
    } else if (req > lim) {
      errs.push(fieldError.invalid(reqPath, shown, `must be less than or equal to ${name} limit of ${canonical(rawLimits[name])}`));
    }
  }
  return errs;
}
