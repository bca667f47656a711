// Field-path helpers and the field-error shapes errors.ts does not provide yet
// (TooLong without a value, NotFound), so validators read like kube's.

import { fieldError, type FieldError } from '../errors.js';

export const child = (path: string, ...names: string[]) => [path, ...names].filter((s) => s !== '').join('.');
export const index = (path: string, i: number) => `${path}[${i}]`;
export const key = (path: string, k: string) => `${path}[${k}]`;

export const tooLong = (field: string, max: number): FieldError => ({
  field,
  type: 'FieldValueTooLong',
  detail: `may not be more than ${max} bytes`,
  hasValue: false,
});

/**
 * kube reports a dangling reference as `Not found: "x"`; errors.ts has no
 * NotFound type yet, so it is rendered as an Invalid value for now.
 */
export const notFound = (field: string, value: unknown): FieldError => fieldError.invalid(field, value, 'not found');

/** Wraps each message of a string check into an Invalid field error. */
export const invalidEach = (field: string, value: unknown, msgs: string[]): FieldError[] =>
  msgs.map((m) => fieldError.invalid(field, value, m));

export const immutable = (field: string, value: unknown): FieldError => fieldError.invalid(field, value, 'field is immutable');

export const isNonNegative = (field: string, value: unknown): FieldError[] =>
  typeof value === 'number' && value < 0 ? [fieldError.invalid(field, value, 'must be greater than or equal to 0')] : [];

export const isPositive = (field: string, value: unknown): FieldError[] =>
  typeof value === 'number' && value <= 0 ? [fieldError.invalid(field, value, 'must be greater than 0')] : [];
