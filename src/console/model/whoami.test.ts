import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiClient, ApiRequestError } from './api-client.js';
import { fetchWhoAmI, whoAmIText } from './whoami.js';

describe('whoami', () => {
  it('posts a SelfSubjectReview with the token and reads the user and groups back', async () => {
    const seen: { url: string; init?: RequestInit }[] = [];
    const api = new ApiClient('t0k', async (url, init) => {
      seen.push({ url, init });
      return new Response(JSON.stringify({ kind: 'SelfSubjectReview', status: { userInfo: { username: 'system:serviceaccount:team-a:viewer', groups: ['system:serviceaccounts', 'system:authenticated'] } } }), { status: 201 });
    });
    const w = await fetchWhoAmI(api);
    assert.equal(seen[0].url, '/apis/authentication.k8s.io/v1/selfsubjectreviews');
    assert.equal(seen[0].init?.method, 'POST');
    assert.equal((seen[0].init?.headers as Record<string, string>).Authorization, 'Bearer t0k');
    assert.deepEqual(JSON.parse(String(seen[0].init?.body)), { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
    assert.equal(whoAmIText(w), 'logged in as system:serviceaccount:team-a:viewer (system:serviceaccounts, system:authenticated)');
    assert.equal(whoAmIText({ username: 'admin', groups: [] }), 'logged in as admin');
  });

  it('a refusal is the API error, for the page to show', async () => {
    const api = new ApiClient('t0k', async () => new Response(JSON.stringify({ kind: 'Status', code: 403, reason: 'Forbidden', message: 'selfsubjectreviews.authentication.k8s.io is forbidden' }), { status: 403 }));
    await assert.rejects(fetchWhoAmI(api), (e: unknown) => e instanceof ApiRequestError && e.code === 403 && /is forbidden/.test(e.message));
  });
});
