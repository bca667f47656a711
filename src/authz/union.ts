// Composition of authorizers in order (kube's union authorizer): the first
// decision that is not "no opinion" wins; when none has one, the request is
// denied. AlwaysAllow is the `--authorization-mode AlwaysAllow` authorizer.

import { allow, noOpinion, type AuthorizationAttributes, type AuthorizationResult, type Authorizer } from './types.js';

export class UnionAuthorizer implements Authorizer {
  constructor(private readonly authorizers: readonly Authorizer[]) {}

  authorize(a: AuthorizationAttributes): AuthorizationResult {
    const reasons: string[] = [];
    for (const z of this.authorizers) {
      const r = z.authorize(a);
      if (r.decision !== 'noOpinion') return r;
      if (r.reason) reasons.push(r.reason);
    }
    return noOpinion(reasons.join(', '));
  }
}

export const alwaysAllow: Authorizer = { authorize: () => allow() };
