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
// walk. No real object comes near it. The walk is iterative, so checking a
// value of any depth cannot itself overflow. Numbers must be finite (JSON.parse
// reads `1e400` as Infinity, which JSON cannot write back; Go refuses it).

import { badRequest, type ApiError } from './errors.js';

export const MAX_NESTING_DEPTH = 512;

/** The one key no decoded object may carry. */
export const FORBIDDEN_KEY = '__proto__';

/** kube's wording (apimachinery util/json), with this server's limit. */
export const depthExceededMessage = () => `exceeded max depth of ${MAX_NESTING_DEPTH}`;

export type UntrustedProblem = { kind: 'depth' } | { kind: 'key'; path: string } | { kind: 'number'; path: string };

interface Frame {
  node: unknown[] | Record<string, unknown>;
  keys: string[] | undefined;
  i: number;
  /** How this frame is reached from its parent: `.key`, `[3]`. */
  seg: string;
}

const segment = (key: string) => (/^[A-Za-z_$][\w$-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);

/** The first problem found in `value`, walking it without recursion; undefined when it is fine. */
export function findUntrustedProblem(value: unknown, maxDepth = MAX_NESTING_DEPTH): UntrustedProblem | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const stack: Frame[] = [];
  const push = (node: object, seg: string): UntrustedProblem | undefined => {
    if (stack.length >= maxDepth) return { kind: 'depth' };
    if (Array.isArray(node)) stack.push({ node, keys: undefined, i: 0, seg });
    else {
      const keys = Object.keys(node);
      if (Object.hasOwn(node, FORBIDDEN_KEY)) {
        const path = [...stack.map((f) => f.seg), seg, segment(FORBIDDEN_KEY)].join('').replace(/^\./, '');
        return { kind: 'key', path };
      }
      stack.push({ node: node as Record<string, unknown>, keys, i: 0, seg });
    }
    return undefined;
  };
  let problem = push(value, '');
  while (!problem && stack.length > 0) {
    const top = stack[stack.length - 1];
    let child: unknown;
    let seg: string;
    if (top.keys) {
      if (top.i >= top.keys.length) {
        stack.pop();
        continue;
      }
      const k = top.keys[top.i++];
      child = (top.node as Record<string, unknown>)[k];
      seg = segment(k);
    } else {
      const arr = top.node as unknown[];
      if (top.i >= arr.length) {
        stack.pop();
        continue;
      }
      seg = `[${top.i}]`;
      child = arr[top.i++];
    }
    if (child !== null && typeof child === 'object') problem = push(child, seg);
    else if (typeof child === 'number' && !Number.isFinite(child)) problem = { kind: 'number', path: [...stack.map((f) => f.seg), seg].join('').replace(/^\./, '') };
  }
  return problem;
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
