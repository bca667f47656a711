import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findDuplicateKeys, strictDecodingMessage } from './json-strict.js';

describe('findDuplicateKeys', () => {
  it('finds nothing in ordinary JSON', () => {
    assert.deepEqual(findDuplicateKeys('{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}'), []);
    assert.deepEqual(findDuplicateKeys('[]'), []);
    assert.deepEqual(findDuplicateKeys('"a"'), []);
    assert.deepEqual(findDuplicateKeys('42'), []);
  });

  it('reports kube-style paths', () => {
    assert.deepEqual(findDuplicateKeys('{"a":1,"a":2}'), ['a']);
    assert.deepEqual(findDuplicateKeys('{"spec":{"replicas":1,"replicas":2}}'), ['spec.replicas']);
    assert.deepEqual(findDuplicateKeys('{"metadata":{"labels":{"app":"a","app":"b"}}}'), ['metadata.labels.app']);
    assert.deepEqual(
      findDuplicateKeys('{"spec":{"containers":[{"name":"a"},{"name":"b","image":"x","image":"y"}]}}'),
      ['spec.containers[1].image'],
    );
    assert.deepEqual(findDuplicateKeys('[[{"a":1}],[{"b":1},{"c":1,"c":2}]]'), ['[1][1].c']);
    assert.deepEqual(findDuplicateKeys('{"metadata":{"labels":{"app.kubernetes.io/name":"a","app.kubernetes.io/name":"b"}}}'), [
      'metadata.labels.app.kubernetes.io/name',
    ]);
  });

  it('lists several duplicates in document order, each once', () => {
    const text = `{
      "apiVersion": "apps/v1",
      "kind": "Deployment",
      "metadata": { "name": "a", "name": "b", "name": "c" },
      "spec": {
        "paused": true,
        "template": { "spec": { "containers": [ { "name": "c", "imagePullPolicy": "Always", "imagePullPolicy": "Never" } ] } },
        "paused": false
      }
    }`;
    assert.deepEqual(findDuplicateKeys(text), ['metadata.name', 'spec.template.spec.containers[0].imagePullPolicy', 'spec.paused']);
  });

  it('reports a duplicated object and duplicates inside it', () => {
    assert.deepEqual(findDuplicateKeys('{"a":{"x":1},"a":{"x":1,"x":2}}'), ['a', 'a.x']);
  });

  it('is not fooled by string contents', () => {
    assert.deepEqual(findDuplicateKeys('{"a":"}{,[\\"","b":"\\\\","c":"a","d":"\\"a\\":1,\\"a\\":2"}'), []);
    assert.deepEqual(findDuplicateKeys('{"a":"x\\\\","a":"y"}'), ['a']);
    assert.deepEqual(findDuplicateKeys('{"k":"v","v":"k","k":[1,2,{"k":1}]}'), ['k']);
  });

  it('compares keys after unescaping', () => {
    assert.deepEqual(findDuplicateKeys('{"a":1,"\\u0061":2}'), ['a']);
    assert.deepEqual(findDuplicateKeys('{"a\\"b":1,"a\\"b":2}'), ['a"b']);
    assert.deepEqual(findDuplicateKeys('{"A":1,"a":2}'), [], 'case matters');
  });

  it('keeps array indices right across nested values', () => {
    assert.deepEqual(findDuplicateKeys('{"l":[1,[2,3],{"x":[4,5]},"s,t",{"z":1,"z":1}]}'), ['l[4].z']);
  });

  it('does not throw on malformed text', () => {
    assert.deepEqual(findDuplicateKeys('}]{"a":1,"a":2'), ['a']);
    assert.deepEqual(findDuplicateKeys('{"a":"unterminated'), []);
  });

  it('agrees with generated documents', () => {
    // Deterministic generator: random nesting, with duplicates injected where the expected paths are known.
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const keyNames = ['a', 'b', 'c', 'x.y', 'q"r', 'k\\\\', '{', ','];
    for (let round = 0; round < 200; round++) {
      const expected: string[] = [];
      const gen = (path: string, depth: number): string => {
        const kind = depth > 3 ? 3 : rnd(4);
        if (kind === 0) {
          const keys = [...new Set(Array.from({ length: rnd(4) }, () => keyNames[rnd(keyNames.length)]))];
          const parts = keys.map((k) => `${JSON.stringify(k)}:${gen(path ? `${path}.${k}` : k, depth + 1)}`);
          if (keys.length && rnd(3) === 0) {
            const k = keys[rnd(keys.length)];
            const p = path ? `${path}.${k}` : k;
            if (!expected.includes(p)) expected.push(p);
            parts.push(`${JSON.stringify(k)}:${JSON.stringify('dup')}`);
          }
          return `{ ${parts.join(' , ')} }`;
        }
        if (kind === 1) {
          const n = rnd(3);
          return `[${Array.from({ length: n }, (_, i) => gen(`${path}[${i}]`, depth + 1)).join(',')}]`;
        }
        if (kind === 2) return JSON.stringify(['}', '"', '\\', 'plain', ',', '[{'][rnd(6)]);
        return String(rnd(100) - 50);
      };
      const text = gen('', 0);
      JSON.parse(text); // the generator must produce valid JSON
      // Nested duplicates are found before the outer one is closed, so compare as sets.
      assert.deepEqual(new Set(findDuplicateKeys(text)), new Set(expected), text);
    }
  });
});

describe('strictDecodingMessage', () => {
  it('words the error as kube-apiserver does', () => {
    assert.equal(strictDecodingMessage(['spec.replicas']), 'strict decoding error: duplicate field "spec.replicas"');
    assert.equal(
      strictDecodingMessage(['metadata.name', 'spec.paused'], ['spec.replica']),
      'strict decoding error: duplicate field "metadata.name", duplicate field "spec.paused", unknown field "spec.replica"',
    );
  });
});
