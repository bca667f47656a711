import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from './errors.js';
import { compileFieldSelector, exactFieldMatch, notAKnownFieldSelector, parseFieldSelector } from './field-selector.js';

const badRequestWith = (message: string) => (e: unknown) => {
  assert.ok(e instanceof ApiError, 'an ApiError');
  assert.equal(e.code, 400);
  assert.equal(e.reason, 'BadRequest');
  assert.equal(e.message, message);
  return true;
};

describe('parseFieldSelector', () => {
  it('parses =, == and != terms, sorted as kube sorts them', () => {
    assert.deepEqual(parseFieldSelector('e==f,a=b,c!=d'), [
      { field: 'a', op: '=', value: 'b' },
      { field: 'c', op: '!=', value: 'd' },
      { field: 'e', op: '=', value: 'f' },
    ]);
  });

  it('skips empty terms and accepts an empty value', () => {
    assert.deepEqual(parseFieldSelector(''), []);
    assert.deepEqual(parseFieldSelector('a=b,'), [{ field: 'a', op: '=', value: 'b' }]);
    assert.deepEqual(parseFieldSelector('spec.nodeName='), [{ field: 'spec.nodeName', op: '=', value: '' }]);
    assert.deepEqual(parseFieldSelector('spec.nodeName!='), [{ field: 'spec.nodeName', op: '!=', value: '' }]);
  });

  it('unescapes \\, \\= and \\\\ in values', () => {
    assert.deepEqual(parseFieldSelector('metadata.name=a\\,b,x=1'), [
      { field: 'metadata.name', op: '=', value: 'a,b' },
      { field: 'x', op: '=', value: '1' },
    ]);
    assert.equal(parseFieldSelector('a=x\\=y')[0].value, 'x=y');
    assert.equal(parseFieldSelector('a=x\\\\')[0].value, 'x\\');
    assert.equal(parseFieldSelector('a=\\\\,b=c').length, 2, 'an escaped backslash does not escape the comma');
  });

  it('keeps whitespace, as kube does', () => {
    assert.deepEqual(parseFieldSelector('a=b, c=d')[0], { field: ' c', op: '=', value: 'd' });
  });

  it('rejects malformed selectors with kube messages', () => {
    assert.throws(() => parseFieldSelector('abc'), badRequestWith("invalid selector: 'abc'; can't understand 'abc'"));
    assert.throws(() => parseFieldSelector('a=b,zzz'), badRequestWith("invalid selector: 'a=b,zzz'; can't understand 'zzz'"));
    assert.throws(() => parseFieldSelector('a=b=c'), badRequestWith('invalid field selector: unescaped character in value: 61'));
    assert.throws(() => parseFieldSelector('metadata.name!==x'), badRequestWith('invalid field selector: unescaped character in value: 61'));
    assert.throws(() => parseFieldSelector('a=b\\x'), badRequestWith('invalid field selector: invalid escape sequence: \\x'));
    assert.throws(() => parseFieldSelector('a=b\\'), badRequestWith('invalid field selector: invalid escape sequence: \\'));
  });
});

describe('exactFieldMatch', () => {
  it('finds the value an equality term pins', () => {
    const reqs = parseFieldSelector('metadata.name=web,metadata.namespace!=kube-system');
    assert.equal(exactFieldMatch(reqs, 'metadata.name'), 'web');
    assert.equal(exactFieldMatch(reqs, 'metadata.namespace'), undefined);
  });
});

describe('compileFieldSelector', () => {
  interface Pod {
    metadata: { name: string; namespace: string };
    spec: { nodeName?: string };
    status: { phase: string };
  }
  const get = (p: Pod, f: string) =>
    ({ 'metadata.name': p.metadata.name, 'metadata.namespace': p.metadata.namespace, 'spec.nodeName': p.spec.nodeName, 'status.phase': p.status.phase })[f];
  const supported = new Set(['metadata.name', 'metadata.namespace', 'spec.nodeName', 'status.phase']);
  const pod = (name: string, phase: string, nodeName?: string): Pod => ({ metadata: { name, namespace: 'default' }, spec: { nodeName }, status: { phase } });
  const running = pod('web-1', 'Running', 'node-a');
  const pending = pod('web-2', 'Pending');

  it('matches equality and inequality terms together', () => {
    const m = compileFieldSelector('status.phase!=Pending,metadata.namespace=default', get, supported);
    assert.equal(m(running), true);
    assert.equal(m(pending), false);
  });

  it('reads a missing field as the empty string', () => {
    assert.equal(compileFieldSelector('spec.nodeName=', get, supported)(pending), true);
    assert.equal(compileFieldSelector('spec.nodeName=', get, supported)(running), false);
    assert.equal(compileFieldSelector('spec.nodeName!=', get, supported)(running), true);
  });

  it('matches everything when empty', () => {
    assert.equal(compileFieldSelector('', get, supported)(pending), true);
  });

  it('rejects unsupported fields with kube wording', () => {
    assert.throws(() => compileFieldSelector('message=whatever', get, supported), badRequestWith('field label not supported: message'));
    assert.throws(() => compileFieldSelector('status.phase=Running, spec.nodeName=a', get, supported), badRequestWith('field label not supported:  spec.nodeName'));
    // The first unsupported field in sorted order is the one named.
    assert.throws(() => compileFieldSelector('zeta=1,alpha=2', get, supported), badRequestWith('field label not supported: alpha'));
  });

  it('words the error for custom resources as kube does', () => {
    assert.throws(
      () => compileFieldSelector('foo.bar=baz', get, supported, notAKnownFieldSelector),
      badRequestWith('"foo.bar" is not a known field selector: only "metadata.name", "metadata.namespace"'),
    );
  });
});
