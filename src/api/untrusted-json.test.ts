import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from './errors.js';
import { checkUntrusted, findUntrustedProblem, MAX_NESTING_DEPTH } from './untrusted-json.js';

const nest = (n: number, leaf: unknown = 1): unknown => {
  let v = leaf;
  for (let i = 1; i < n; i++) v = i % 2 ? [v] : { a: v };
  return n > 0 ? { a: v } : v;
};

describe('untrusted JSON', () => {
  it('finds a __proto__ key anywhere and names its path', () => {
    for (const [text, path] of [
      ['{"__proto__":{"x":1}}', '__proto__'],
      ['{"data":{"__proto__":{"x":"1"}}}', 'data.__proto__'],
      ['{"spec":{"containers":[{"name":"a","env":[{"__proto__":1}]}]}}', 'spec.containers[0].env[0].__proto__'],
      ['[{"op":"add","path":"/x","value":{"a b":{"__proto__":null}}}]', '[0].value["a b"].__proto__'],
    ] as const) {
      assert.deepEqual(findUntrustedProblem(JSON.parse(text)), { kind: 'key', path }, text);
    }
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });

  it('keeps constructor, prototype and other Object.prototype names as plain data', () => {
    assert.equal(findUntrustedProblem({ data: { constructor: 'a', prototype: 'b', toString: 'c', hasOwnProperty: 'd' } }), undefined);
  });

  it('limits nesting without recursing, however deep the value', () => {
    assert.equal(findUntrustedProblem(nest(MAX_NESTING_DEPTH)), undefined);
    assert.deepEqual(findUntrustedProblem(nest(MAX_NESTING_DEPTH + 1)), { kind: 'depth' });
    const deep = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);
    assert.deepEqual(findUntrustedProblem(deep), { kind: 'depth' });
  });

  it('refuses numbers JSON cannot write back', () => {
    assert.deepEqual(findUntrustedProblem(JSON.parse('{"spec":{"x":[1e400]}}')), { kind: 'number', path: 'spec.x[0]' });
  });

  it('throws 400 BadRequest with the path as a cause', () => {
    assert.throws(
      () => checkUntrusted(JSON.parse('{"metadata":{"__proto__":{}}}'), 'prefix: '),
      (e: ApiError) =>
        e.code === 400 &&
        e.message === 'prefix: the key "__proto__" is not allowed (at metadata.__proto__)' &&
        e.details?.causes?.[0]?.field === 'metadata.__proto__',
    );
    assert.throws(() => checkUntrusted(nest(1000)), (e: ApiError) => e.code === 400 && e.message === `exceeded max depth of ${MAX_NESTING_DEPTH}`);
  });
});
