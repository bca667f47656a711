import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { fieldErrorBody } from './errors.js';
import { SchemaValidator } from './schema-validator.js';
import { int32, int64, intOrString } from './schemas/builders.js';

const schema = Type.Object({
  spec: Type.Object({
    replicas: Type.Optional(int32('replicas', { minimum: 0 })),
    grace: Type.Optional(int64('seconds')),
    plain: Type.Optional(Type.Integer({ description: 'no format: int64' })),
    port: Type.Optional(intOrString('port')),
  }),
});
const v = new SchemaValidator(schema);
const errors = (spec: Record<string, unknown>) => v.validate({ spec }).map((e) => `${e.field}: ${fieldErrorBody(e)}`);

describe('schema validation of integers', () => {
  it('holds int32 fields to the int32 range, keeping tighter bounds the schema declares', () => {
    assert.deepEqual(errors({ replicas: 2147483647 }), []);
    assert.deepEqual(errors({ replicas: 2147483648 }), ['spec.replicas: Invalid value: 2147483648: spec.replicas in body should be less than or equal to 2147483647']);
    assert.deepEqual(errors({ replicas: -1 }), ['spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0']);
  });

  it('holds int64 fields (and integers without a format) to what a JS number holds exactly', () => {
    assert.deepEqual(errors({ grace: Number.MAX_SAFE_INTEGER, plain: -Number.MAX_SAFE_INTEGER }), []);
    assert.deepEqual(errors({ grace: 1e308 }), ['spec.grace: Invalid value: 1e+308: spec.grace in body should be less than or equal to 9007199254740991']);
    assert.deepEqual(errors({ plain: -1e20 }), ['spec.plain: Invalid value: -100000000000000000000: spec.plain in body should be greater than or equal to -9007199254740991']);
  });

  it('refuses non-integers with the CRD wording', () => {
    assert.deepEqual(errors({ grace: 1.5 }), ['spec.grace: Invalid value: "number": spec.grace in body must be of type integer: "number"']);
  });

  it('treats the integer side of int-or-string as int32', () => {
    assert.deepEqual(errors({ port: 'http' }), []);
    assert.deepEqual(errors({ port: 8080 }), []);
    assert.ok(errors({ port: 99999999999 }).some((e) => e.includes('should be less than or equal to 2147483647')));
  });
});
