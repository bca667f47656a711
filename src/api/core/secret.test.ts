// Secret and ConfigMap data handling and validation.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OperationContext } from '../definition.js';
import { fieldErrorBody } from '../errors.js';
import { clone, type KObject } from '../object.js';
import { configMapDefinition } from './config-map.js';
import { base64Error } from './data-validation.js';
import { secretDefinition } from './secret.js';

const ctx: OperationContext = { user: { username: 'admin', groups: [] }, dryRun: false };
const render = (errs: ReturnType<NonNullable<typeof secretDefinition.strategy>['validate'] & {}>) => errs.map((e) => `${e.field}: ${fieldErrorBody(e)}`);

describe('secret strategy', () => {
  it('merges stringData into data and defaults the type', () => {
    const s: KObject = { metadata: { name: 's' }, data: { a: 'eA==' }, stringData: { a: 'y', b: 'z' } };
    secretDefinition.strategy!.prepareForCreate!(s, ctx);
    assert.deepEqual(s.data, { a: Buffer.from('y').toString('base64'), b: Buffer.from('z').toString('base64') });
    assert.equal(s.stringData, undefined);
    assert.equal(s.type, 'Opaque');
  });

  it('rejects bad base64 and bad keys', () => {
    assert.equal(base64Error('aGVsbG8='), undefined);
    assert.match(base64Error('not base64!') ?? '', /^illegal base64 data at input byte 3/);
    const errs = render(secretDefinition.strategy!.validate!({ metadata: { name: 's' }, type: 'Opaque', data: { 'bad key': 'eA==', ok: '%%' } }, ctx));
    assert.match(errs[0], /^data\[bad key\]: Invalid value: "bad key": a valid config key must consist/);
    assert.equal(errs[1], 'data[ok]: Invalid value: "<secret contents redacted>": illegal base64 data at input byte 0');
  });

  it('requires the keys of typed secrets', () => {
    const errs = render(secretDefinition.strategy!.validate!({ metadata: { name: 's' }, type: 'kubernetes.io/tls', data: {} }, ctx));
    assert.deepEqual(errs, ['data[tls.crt]: Required value', 'data[tls.key]: Required value']);
  });

  it('freezes immutable secrets and the type', () => {
    const old: KObject = { metadata: { name: 's' }, type: 'Opaque', immutable: true, data: { a: 'eA==' } };
    const upd = clone(old);
    upd.data = { a: 'eQ==' };
    upd.type = 'other';
    const errs = render(secretDefinition.strategy!.validateUpdate!(upd, old, ctx));
    assert.deepEqual(errs, ['type: Invalid value: "other": field is immutable', 'data: Forbidden: field is immutable when `immutable` is set']);
  });
});

describe('configmap strategy', () => {
  it('rejects keys present in both data and binaryData', () => {
    const errs = configMapDefinition.strategy!.validate!({ metadata: { name: 'c' }, data: { a: 'x' }, binaryData: { a: 'eA==' } }, ctx);
    assert.deepEqual(errs.map((e) => `${e.field}: ${fieldErrorBody(e)}`), ['data[a]: Invalid value: "a": duplicate of key present in binaryData']);
  });

  it('counts data and binaryData in the DATA column', () => {
    const col = configMapDefinition.columns!.find((c) => c.name === 'Data')!;
    assert.equal(col.value!({ metadata: { name: 'c' }, data: { a: 'x' }, binaryData: { b: 'eA==' } }, 0), 2);
  });
});
