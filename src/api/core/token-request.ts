// TokenRequest (authentication.k8s.io/v1): the body of POST
// serviceaccounts/<name>/token. Not a stored resource; this is its schema,
// defaulting and validation for the token handler.

import { Type } from '@sinclair/typebox';
import { fieldError, type FieldError } from '../errors.js';
import { isPlainObject } from '../object.js';
import { int64, opt, str, stringList, time } from '../schemas/index.js';

export const TOKEN_MIN_SECONDS = 10 * 60;
export const TOKEN_MAX_SECONDS = 2 ** 32;
export const TOKEN_DEFAULT_SECONDS = 3600;
export const BOUND_OBJECT_KINDS = ['Node', 'Pod', 'Secret'];

export const TokenRequestSchema = Type.Object(
  {
    apiVersion: opt(str('`authentication.k8s.io/v1`.')),
    kind: opt(str('`TokenRequest`.')),
    metadata: opt(Type.Object({}, { description: 'Ignored metadata.', 'x-kubernetes-preserve-unknown-fields': true })),
    spec: opt(
      Type.Object(
        {
          audiences: opt(stringList('Audiences the token is valid for; defaults to the server audience.')),
          expirationSeconds: opt(int64('Requested lifetime in seconds (at least 600).', { default: TOKEN_DEFAULT_SECONDS })),
          boundObjectRef: opt(
            Type.Object(
              {
                kind: opt(str('`Pod`, `Secret` or `Node`.')),
                apiVersion: opt(str('API version of the object.')),
                name: opt(str('Name of the object.')),
                uid: opt(str('UID of the object.')),
              },
              { description: 'Object the token is bound to; the token stops working when it is deleted.' },
            ),
          ),
        },
        { description: 'What token to issue.' },
      ),
    ),
    status: opt(
      Type.Object(
        { token: str('The issued token.'), expirationTimestamp: time('When the token expires.') },
        { description: 'The issued token.' },
      ),
    ),
  },
  { description: 'A request for a service account token.' },
);

/** Fills the default lifetime in place. */
export function defaultTokenRequest(tr: Record<string, unknown>): void {
  const spec = isPlainObject(tr.spec) ? tr.spec : (tr.spec = {});
  if (typeof spec.expirationSeconds !== 'number') spec.expirationSeconds = TOKEN_DEFAULT_SECONDS;
}

export function validateTokenRequest(tr: Record<string, unknown>): FieldError[] {
  const spec = isPlainObject(tr.spec) ? tr.spec : {};
  const errs: FieldError[] = [];
  const exp = typeof spec.expirationSeconds === 'number' ? spec.expirationSeconds : TOKEN_DEFAULT_SECONDS;
  if (exp < TOKEN_MIN_SECONDS) errs.push(fieldError.invalid('spec.expirationSeconds', exp, 'may not specify a duration less than 10 minutes'));
  if (exp > TOKEN_MAX_SECONDS) errs.push(fieldError.invalid('spec.expirationSeconds', exp, 'may not specify a duration larger than 2^32 seconds'));
  const ref = spec.boundObjectRef;
  if (isPlainObject(ref) && !BOUND_OBJECT_KINDS.includes(String(ref.kind))) {
    errs.push(fieldError.notSupported('spec.boundObjectRef.kind', ref.kind ?? '', BOUND_OBJECT_KINDS));
  }
  return errs;
}
