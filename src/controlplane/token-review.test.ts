import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import { ApiError } from '../api/errors.js';
import type { HandlerContext } from '../apiserver/request-context.js';
import { CustomHandlers } from '../apiserver/resource-handler.js';
import type { Authenticator } from '../security/authenticator.js';
import { registerTokenReviewHandler, tokenReviewDefinition } from './token-review.js';

const authenticator: Authenticator = {
  async authenticate(h) {
    if (h !== 'Bearer sa-token') return null;
    return {
      username: 'system:serviceaccount:default:agent',
      uid: 'u-1',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
      extra: { 'authentication.kubernetes.io/credential-id': ['JTI=x'] },
    };
  },
};

/** Calls the registered handler with a JSON body; returns the status code and the response object. */
async function review(body: unknown, audiences?: string[]): Promise<{ code: number; obj: Record<string, unknown> }> {
  const custom = new CustomHandlers();
  registerTokenReviewHandler(custom, authenticator, audiences);
  const handler = custom.get('authentication.k8s.io', 'tokenreviews')!;
  let code = 0;
  let text = '';
  const res = {
    writeHead(c: number) {
      code = c;
      return res;
    },
    end(t: string) {
      text = t;
    },
  };
  const ctx = {
    req: { headers: { 'content-type': 'application/json' } } as unknown as IncomingMessage,
    res: res as unknown as ServerResponse,
    body: async () => Buffer.from(JSON.stringify(body)),
  } as unknown as HandlerContext;
  await handler(ctx);
  return { code, obj: JSON.parse(text) as Record<string, unknown> };
}

describe('TokenReview', () => {
  it('is a virtual, cluster-scoped, create-only kind', () => {
    assert.equal(tokenReviewDefinition.virtual, true);
    assert.equal(tokenReviewDefinition.namespaced, false);
    assert.deepEqual(tokenReviewDefinition.verbs, ['create']);
  });

  it('reports the user of a valid token and the audiences it is good for', async () => {
    const { code, obj } = await review({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 'sa-token' } }, ['https://workplane']);
    assert.equal(code, 201);
    assert.equal(obj.kind, 'TokenReview');
    assert.equal(obj.apiVersion, 'authentication.k8s.io/v1');
    assert.deepEqual(obj.status, {
      authenticated: true,
      user: {
        username: 'system:serviceaccount:default:agent',
        uid: 'u-1',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'],
        extra: { 'authentication.kubernetes.io/credential-id': ['JTI=x'] },
      },
      audiences: ['https://workplane'],
    });
  });

  it('says why a token is rejected', async () => {
    assert.deepEqual((await review({ spec: { token: 'nope' } })).obj.status, { user: {}, error: 'invalid bearer token' });
    const other = await review({ spec: { token: 'sa-token', audiences: ['vault'] } }, ['https://workplane']);
    assert.deepEqual(other.obj.status, { user: {}, error: 'token audiences ["https://workplane"] is invalid for the target audiences ["vault"]' });
    const some = await review({ spec: { token: 'sa-token', audiences: ['vault', 'https://workplane'] } }, ['https://workplane', 'api']);
    assert.deepEqual((some.obj.status as { audiences: string[] }).audiences, ['https://workplane']);
  });

  it('requires a token', async () => {
    await assert.rejects(review({ spec: {} }), (e: ApiError) => e.code === 400 && e.message === 'token is required for TokenReview in authentication');
  });
});
