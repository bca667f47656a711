// Limits on JSON values that come from clients, checked once where a body is
// decoded and again before any object is stored, so no code in between can be
// tricked: no `__proto__` key anywhere (assigning one through `obj[k] = v`
// would rewrite an object's prototype, or Object.prototype itself through a
// merge), and no nesting deeper than MAX_NESTING_DEPTH (the recursive walks,
// JSON.stringify and the YAML parser would exhaust the stack first).
//
// Kubernetes allows 10,000 levels because Go's stacks grow; V8's do not:
// JSON.stringify fails near 4,000 levels and the yaml package near 800 on a
// default stack, so the limit here is set well inside what every code path can
// walk. No real object comes near it. The walk stops one level past the
// limit, so checking a value of any depth cannot itself overflow. Numbers must be finite (JSON.parse
// reads `1e400` as Infinity, which JSON cannot write back; Go refuses it).

import { badRequest, type ApiError } from './errors.js';

export const MAX_NESTING_DEPTH = 512;

/** The one key no decoded object may carry. */
export const FORBIDDEN_KEY = '__proto__';

/** kube's wording (apimachinery util/json), with this server's limit. */
export const depthExceededMessage = () => `exceeded max depth of ${MAX_NESTING_DEPTH}`;

export type UntrustedProblem = { kind: 'depth' } | { kind: 'key'; path: string } | { kind: 'number'; path: string };

const segment = (key: string) => (/^[A-Za-z_$][\w$-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);

// Recursion is bounded by `max` (the walk stops one level past it), so it
// cannot exhaust the stack whatever the input; it also beats an explicit
// stack of frames, and this runs on every write.
function walk(node: object, depth: number, max: number): UntrustedProblem | undefined {
  if (depth > max) return { kind: 'depth' };
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const p = child(node[i], depth, max);
      if (p) return p.kind === 'depth' ? p : { ...p, path: `[${i}]${p.path}` };
    }
    return undefined;
  }
  if (Object.hasOwn(node, FORBIDDEN_KEY)) return { kind: 'key', path: segment(FORBIDDEN_KEY) };
  for (const k in node) {
    if (!Object.hasOwn(node, k)) continue;
    const p = child((node as Record<string, unknown>)[k], depth, max);
    if (p) return p.kind === 'depth' ? p : { ...p, path: `${segment(k)}${p.path}` };
  }
  return undefined;
}

function child(v: unknown, depth: number, max: number): UntrustedProblem | undefined {
  if (typeof v === 'object' && v !== null) return walk(v, depth + 1, max);
  if (typeof v === 'number' && !Number.isFinite(v)) return { kind: 'number', path: '' };
  return undefined;
}

/** The first problem found in `value`; undefined when it is fine. Paths read `spec.containers[0].env`. */
export function findUntrustedProblem(value: unknown, maxDepth = MAX_NESTING_DEPTH): UntrustedProblem | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const p = walk(value, 1, maxDepth);
  return p && p.kind !== 'depth' ? { ...p, path: p.path.replace(/^\./, '') } : p;
}

/** The 400 for a problem, prefixed the way the caller words decode failures. */
export function untrustedError(problem: UntrustedProblem, prefix: string): ApiError {
  if (problem.kind === 'depth') return badRequest(`${prefix}${depthExceededMessage()}`);
  if (problem.kind === 'number') return badRequest(`${prefix}number out of range at ${problem.path}: JSON numbers must be finite`);
  return badRequest(`${prefix}the key "${FORBIDDEN_KEY}" is not allowed (at ${problem.path})`, [
    { reason: 'FieldValueForbidden', message: `Forbidden: the key "${FORBIDDEN_KEY}" is not allowed`, field: problem.path },
  ]);
}

/** Throws kube's 400 unless `value` is safe to merge, copy and store. */
export function checkUntrusted(value: unknown, prefix = ''): void {
  const problem = findUntrustedProblem(value);
  if (problem) throw untrustedError(problem, prefix);
}
