import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonStream } from './json-stream.js';

test('JsonStream: indented objects back to back, split anywhere, braces inside strings', () => {
  const values: unknown[] = [];
  const s = new JsonStream((v) => values.push(v));
  const text = '{\n  "type": "ADDED",\n  "object": {"a": "}{\\"", "b": [1, {"c": 2}]}\n}\n{"type":"DELETED","object":{}}\n[1,2]';
  for (let i = 0; i < text.length; i += 7) s.push(text.slice(i, i + 7));
  assert.deepEqual(values, [{ type: 'ADDED', object: { a: '}{"', b: [1, { c: 2 }] } }, { type: 'DELETED', object: {} }, [1, 2]]);
});
