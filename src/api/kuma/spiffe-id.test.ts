// SPIFFE ID rules for rendered trust domains and paths.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pathProblem, renderWithStubs, spiffeIdOf, trustDomainProblem } from './spiffe-id.js';
import { parseSpiffeTemplate } from './spiffe-template.js';

describe('spiffe ids', () => {
  it('check trust domains', () => {
    assert.equal(trustDomainProblem('default.zone-1.mesh.local'), undefined);
    assert.equal(trustDomainProblem(''), 'trust domain is missing');
    assert.equal(trustDomainProblem('Example.com'), 'trust domain characters are limited to lowercase letters, numbers, dots, dashes, and underscores');
  });

  it('check paths', () => {
    assert.equal(pathProblem('/ns/a/sa/b'), undefined);
    assert.equal(pathProblem(''), undefined);
    assert.equal(pathProblem('workload/w'), 'path must have a leading slash');
    assert.equal(pathProblem('/x//w'), 'path cannot contain empty segments');
    assert.equal(pathProblem('/x/'), 'path cannot have a trailing slash');
    assert.equal(pathProblem('/x/../y'), 'path cannot contain dot segments');
    assert.equal(pathProblem('/x y'), 'path segment characters are limited to letters, numbers, dots, dashes, and underscores');
  });

  it('build ids and render with stand-ins', () => {
    assert.equal(spiffeIdOf('example.com', '/workload/demo-workload'), 'spiffe://example.com/workload/demo-workload');
    assert.equal(renderWithStubs(parseSpiffeTemplate('/{{ .Workload }}/{{ label "app" }}')), '/workload/label');
  });
});
