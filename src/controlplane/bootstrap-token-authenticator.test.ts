import { test } from 'node:test';
import assert from 'node:assert/strict';
import { namespaceDefinition, secretDefinition } from '../api/core/index.js';
import { startTestApi } from '../client/testing.js';
import { BootstrapTokenAuthenticator } from './bootstrap-token-authenticator.js';

const SECRETS = { group: '', version: 'v1', resource: 'secrets' };
const b64 = (s: string) => Buffer.from(s).toString('base64');

test('bootstrap tokens: the Secret decides, expiry and usage included', async () => {
  const api = await startTestApi([namespaceDefinition, secretDefinition]);
  const now = Date.parse('2030-01-01T00:00:00Z');
  const authn = new BootstrapTokenAuthenticator(api.registry, () => now);
  const put = (id: string, data: Record<string, string>, type = 'bootstrap.kubernetes.io/token') =>
    api.client.resource(SECRETS).create('kube-system', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `bootstrap-token-${id}` },
      type,
      data: Object.fromEntries(Object.entries({ 'token-id': id, 'usage-bootstrap-authentication': 'true', ...data }).map(([k, v]) => [k, b64(v)])),
    });
  try {
    await put('abcdef', { 'token-secret': '0123456789abcdef', expiration: '2030-01-02T00:00:00Z', 'auth-extra-groups': 'system:bootstrappers:workers,system:masters' });
    await put('expird', { 'token-secret': '0123456789abcdef', expiration: '2029-12-31T00:00:00Z' });
    await put('nouse0', { 'token-secret': '0123456789abcdef', 'usage-bootstrap-authentication': 'false' });
    await put('opaque', { 'token-secret': '0123456789abcdef' }, 'Opaque');
    const user = await authn.authenticateToken('abcdef.0123456789abcdef');
    assert.deepEqual(user, { username: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:bootstrappers:workers', 'system:authenticated'], extra: {} });
    for (const t of ['abcdef.0123456789abcdee', 'expird.0123456789abcdef', 'nouse0.0123456789abcdef', 'opaque.0123456789abcdef', 'nosuch.0123456789abcdef', 'not-a-token']) {
      assert.equal(await authn.authenticateToken(t), null, t);
    }
  } finally {
    await api.close();
  }
});
