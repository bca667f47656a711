// Authorization: the seam and its generic pieces.
export { allow, deny, noOpinion, type AuthorizationAttributes, type AuthorizationResult, type Authorizer, type Decision } from './types.js';
export { UnionAuthorizer, alwaysAllow } from './union.js';
export { requestAttributes, forbiddenMessage, forbiddenError } from './attributes.js';
