// Name-format checks against kube-apiserver's exact messages.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, isValidPortName, nameValidators, regexError } from './names.js';

describe('name formats', () => {
  it('uses kube wording for DNS-1123 labels', () => {
    assert.deepEqual(isDNS1123Label('my-name'), []);
    assert.deepEqual(isDNS1123Label('My_Name'), [
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
    assert.equal(isDNS1123Label('a'.repeat(64))[0], 'must be no more than 63 characters');
  });

  it('checks subdomains and DNS-1035 labels', () => {
    assert.deepEqual(isDNS1123Subdomain('a.b-c.d'), []);
    assert.match(isDNS1123Subdomain('a..b')[0], /^a lowercase RFC 1123 subdomain .*\(e\.g\. 'example\.com', regex used/);
    assert.deepEqual(isDNS1035Label('abc-1'), []);
    assert.match(isDNS1035Label('1abc')[0], /start with an alphabetic character, .*'my-name',  or 'abc-123'/);
  });

  it('checks qualified names with prefixes', () => {
    assert.deepEqual(isQualifiedName('example.com/My.Name_1'), []);
    assert.deepEqual(isQualifiedName('/x'), ['prefix part must be non-empty']);
    assert.match(isQualifiedName('Example.com/x')[0], /^prefix part a lowercase RFC 1123 subdomain/);
    assert.match(isQualifiedName('a/b/c')[0], /^a qualified name must consist of .* with an optional DNS subdomain prefix and '\/'/);
    assert.match(isQualifiedName('-x')[0], /^name part must consist of alphanumeric characters/);
    assert.equal(isQualifiedName(`p/${'x'.repeat(64)}`)[0], 'name part must be no more than 63 characters');
  });

  it('allows empty label values but not bad ones', () => {
    assert.deepEqual(isValidLabelValue(''), []);
    assert.match(isValidLabelValue('a b')[0], /^a valid label must be an empty string/);
  });

  it('formats regex errors as kube does', () => {
    assert.equal(regexError('m', 'f'), "m (regex used for validation is 'f')");
    assert.equal(regexError('m', 'f', 'a', 'b', 'c'), "m (e.g. 'a',  or 'b',  or 'c', regex used for validation is 'f')");
  });

  it('validates port names and generated-name prefixes', () => {
    assert.deepEqual(isValidPortName('http'), []);
    assert.deepEqual(isValidPortName('80'), ['must contain at least one letter (a-z)']);
    assert.deepEqual(nameValidators['dns1123-subdomain']('web-', true), []);
    assert.notDeepEqual(nameValidators['dns1123-subdomain']('web-', false), []);
  });
});
