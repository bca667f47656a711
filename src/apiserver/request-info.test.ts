import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../api/errors.js';
import { parseRequestInfo, type ResourceRequest } from './request-info.js';
import { parseRequestTarget } from './request-target.js';

const info = (method: string, target: string) => {
  const t = parseRequestTarget(target);
  return parseRequestInfo(method, t.path, t.query) as ResourceRequest;
};

describe('request targets and request info', () => {
  it('answers a bad escape or a malformed absolute target with 400, never an exception', () => {
    for (const raw of ['/%ZZ', '/api/v1/namespaces/%ZZ/configmaps', '/%', 'http://[/x', 'ftp:x', '*']) {
      assert.throws(() => parseRequestTarget(raw), (e: ApiError) => e.code === 400 && e.reason === 'BadRequest', raw);
    }
    assert.deepEqual(parseRequestTarget('https://example.com/api/v1/pods?limit=1#frag').path, '/api/v1/pods');
  });

  it('decodes the path before splitting it, as kube splits Go URL.Path', () => {
    const r = info('GET', '/api/v1/namespaces/a%2Fb/pods');
    assert.equal(r.namespace, 'a');
    assert.equal(r.resource, 'b');
    assert.equal(r.name, 'pods');
  });

  it('reads ?watch with kube boolean rules', () => {
    for (const v of ['true', '1', 't', 'T', 'TRUE', 'True', 'yes', '']) assert.equal(info('GET', `/api/v1/pods?watch=${v}`).verb, 'watch', v);
    for (const v of ['false', '0', 'False', 'FALSE']) assert.equal(info('GET', `/api/v1/pods?watch=${v}`).verb, 'list', v);
  });

  it('serves the legacy /watch/ paths: namespaced, all namespaces and named', () => {
    assert.deepEqual(info('GET', '/api/v1/watch/namespaces/ns/configmaps'), {
      kind: 'resource', group: '', version: 'v1', namespace: 'ns', resource: 'configmaps', name: undefined, named: false, subresource: undefined, verb: 'watch', verbFromPath: true,
    });
    const all = info('GET', '/apis/example.workplane.dev/v1/watch/widgets');
    assert.equal(all.verb, 'watch');
    assert.equal(all.namespace, undefined);
    const named = info('GET', '/api/v1/watch/namespaces/ns/configmaps/x');
    assert.equal(named.verb, 'watch');
    assert.equal(named.name, 'x');
    assert.equal(named.named, true);
  });

  it('a GET of a named object stays a get whatever ?watch says (kube routes it to GetResource)', () => {
    const r = info('GET', '/api/v1/namespaces/ns/configmaps/x?watch=true');
    assert.equal(r.verb, 'get');
    assert.equal(r.name, 'x');
  });

  it('takes the name of a list or watch from a metadata.name field selector, for authorization', () => {
    const r = info('GET', '/api/v1/namespaces/ns/configmaps?watch=1&fieldSelector=metadata.name%3Dx');
    assert.equal(r.verb, 'watch');
    assert.equal(r.name, 'x');
    assert.equal(r.named, false);
    assert.equal(info('GET', '/api/v1/configmaps?fieldSelector=metadata.name!%3Dx').name, undefined);
    assert.equal(info('GET', '/api/v1/configmaps?fieldSelector=metadata.name%3D..').name, undefined);
    assert.equal(info('DELETE', '/api/v1/namespaces/ns/configmaps?fieldSelector=metadata.name%3Dx').name, undefined);
  });

  it('an empty path segment addresses no resource', () => {
    assert.equal(parseRequestInfo('GET', '/api/v1/namespaces//pods', new URLSearchParams()).kind, 'nonResource');
  });
});
