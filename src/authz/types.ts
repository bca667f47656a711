// The authorization seam, as kube-apiserver's authorizer.Authorizer: the
// request's attributes in, a decision out. Authorizers (RBAC, Node,
// AlwaysAllow) are small and composed in order by a union: the first that
// allows or denies decides; "no opinion" passes to the next.

import type { UserInfo } from '../api/definition.js';

export interface AuthorizationAttributes {
  user: UserInfo;
  /** get, list, watch, create, update, patch, delete, deletecollection; also impersonate, bind, escalate, use, approve... */
  verb: string;
  /** True for /api and /apis requests on a resource; false for non-resource paths (/healthz, /version, ...). */
  resourceRequest: boolean;
  apiGroup?: string;
  apiVersion?: string;
  /** Plural resource name (`pods`). */
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** The URL path of a non-resource request. */
  path?: string;
}

export type Decision = 'allow' | 'deny' | 'noOpinion';

export interface AuthorizationResult {
  decision: Decision;
  /** Why, for SubjectAccessReview status.reason and the audit log; may be empty. */
  reason: string;
}

export interface Authorizer {
  authorize(a: AuthorizationAttributes): AuthorizationResult;
}

export const allow = (reason = ''): AuthorizationResult => ({ decision: 'allow', reason });
export const deny = (reason = ''): AuthorizationResult => ({ decision: 'deny', reason });
export const noOpinion = (reason = ''): AuthorizationResult => ({ decision: 'noOpinion', reason });
