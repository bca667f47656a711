// SelfSubjectReview (authentication.k8s.io/v1): "who am I?" as the server
// sees the caller after authentication and impersonation (`kubectl auth
// whoami`). Create-only and never stored.

import { Type } from '@sinclair/typebox';
import { defineResource, type ResourceDefinition } from '../definition.js';
import { mapOf, opt, str, stringList } from '../schemas/index.js';

export const selfSubjectReviewDefinition: ResourceDefinition = defineResource({
  group: 'authentication.k8s.io',
  version: 'v1',
  kind: 'SelfSubjectReview',
  plural: 'selfsubjectreviews',
  singular: 'selfsubjectreview',
  namespaced: false,
  virtual: true,
  description: 'Returns the user the request was authenticated as.',
  schema: Type.Object(
    {
      status: opt(
        Type.Object(
          {
            userInfo: opt(
              Type.Object(
                {
                  username: opt(str('Name of the user.')),
                  uid: opt(str('Unique identifier of the user across time.')),
                  groups: opt(stringList('Groups the user belongs to.')),
                  extra: opt(mapOf('Further facts the authenticator provides.', stringList('Values of one fact.'))),
                },
                { description: 'The user.' },
              ),
            ),
          },
          { description: 'Who the caller is.' },
        ),
      ),
    },
    { description: 'A self subject review.' },
  ),
});
