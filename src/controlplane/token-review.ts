// TokenReview (authentication.k8s.io/v1): "who does this bearer token
// belong to?", answered by the API server's own authenticator. Remote agents
// ask it before serving logs to a caller. Create-only and never stored.

import { Type } from '@sinclair/typebox';
import { defineResource, type ResourceDefinition } from '../api/definition.js';
import { badRequest } from '../api/errors.js';
import { isPlainObject } from '../api/object.js';
import { bool, mapOf, opt, str, stringList } from '../api/schemas/index.js';
import { decodeBody, mediaType } from '../apiserver/body.js';
import type { CustomHandlers } from '../apiserver/resource-handler.js';
import { JSON_TYPE, writeJson } from '../apiserver/response.js';
import type { Authenticator } from '../security/authenticator.js';

export const tokenReviewDefinition: ResourceDefinition = defineResource({
  group: 'authentication.k8s.io',
  version: 'v1',
  kind: 'TokenReview',
  plural: 'tokenreviews',
  singular: 'tokenreview',
  namespaced: false,
  virtual: true,
  description: 'Asks whether a bearer token is valid and which user it belongs to.',
  schema: Type.Object(
    {
      spec: opt(
        Type.Object(
          {
            token: opt(str('The opaque bearer token.')),
            audiences: opt(stringList('Audiences the caller accepts; the token must be valid for at least one. Defaults to the API server.')),
          },
          { description: 'The token to check.' },
        ),
      ),
      status: opt(
        Type.Object(
          {
            authenticated: opt(bool('Whether the token is valid.')),
            user: opt(
              Type.Object(
                {
                  username: opt(str('Name of the user.')),
                  uid: opt(str('Unique identifier of the user across time.')),
                  groups: opt(stringList('Groups the user belongs to.')),
                  extra: opt(mapOf('Further facts the authenticator provides.', stringList('Values of one fact.'))),
                },
                { description: 'The user the token belongs to.' },
              ),
            ),
            audiences: opt(stringList('Audiences, among those requested, the token is valid for.')),
            error: opt(str('Why the token could not be checked or was rejected.')),
          },
          { description: 'The verdict.' },
        ),
      ),
    },
    { description: 'A token review.' },
  ),
});

/** Go's %q of a string slice: `["a" "b"]`. */
const quoted = (xs: readonly string[]) => `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;

/**
 * Serves POST tokenreviews. `apiAudiences` are the audiences the
 * authenticator accepts tokens for; a review asking only for others fails.
 */
export function registerTokenReviewHandler(custom: CustomHandlers, authenticator: Authenticator, apiAudiences: readonly string[] = []): void {
  custom.register('authentication.k8s.io/tokenreviews', async (ctx) => {
    const { value } = decodeBody(await ctx.body(), mediaType(ctx.req), false);
    if (!isPlainObject(value)) throw badRequest('the object provided is unrecognized or malformed');
    const spec = isPlainObject(value.spec) ? value.spec : {};
    const token = spec.token;
    if (typeof token !== 'string' || token === '') throw badRequest('token is required for TokenReview in authentication');
    const wanted = Array.isArray(spec.audiences) ? spec.audiences.filter((a): a is string => typeof a === 'string') : [];
    const valid = wanted.length && apiAudiences.length ? apiAudiences.filter((a) => wanted.includes(a)) : [...apiAudiences];
    let status: Record<string, unknown>;
    if (wanted.length && apiAudiences.length && !valid.length) {
      status = { user: {}, error: `token audiences ${quoted(apiAudiences)} is invalid for the target audiences ${quoted(wanted)}` };
    } else {
      const user = await authenticator.authenticate(`Bearer ${token}`);
      status = user
        ? {
            authenticated: true,
            user: {
              username: user.username,
              ...(user.uid ? { uid: user.uid } : {}),
              groups: user.groups,
              ...(Object.keys(user.extra).length ? { extra: user.extra } : {}),
            },
            ...(valid.length ? { audiences: valid } : {}),
          }
        : { user: {}, error: 'invalid bearer token' };
    }
    writeJson(
      ctx.res,
      201,
      { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, spec, status },
      JSON_TYPE,
    );
  });
}
