// Typed API errors. Every failure above the storage layer is one of these; the
// HTTP edge turns them into `Status` objects (see apiserver/status.ts), so the
// reasons and codes here are exactly kube-apiserver's.

import { goQuote } from './go-quote.js';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Invalid'
  | 'Expired'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'TooManyRequests'
  | 'InternalError'
  | 'Timeout'
  | 'ServiceUnavailable';

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): Record<string, unknown> {
    const s: Record<string, unknown> = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) s.details = this.details;
    return s;
  }
}

/** Status details as kube fills them for a resource: the group only when there is one, `kind` the resource (plural), as kube writes it. */
const resourceDetails = (name: string, group: string, kind: string): StatusDetails => (group ? { name, group, kind } : { name, kind });

/** `resource` is the qualified resource, e.g. `workloads.kuma.io` or `pods`. */
export const notFound = (resource: string, name: string, group = '', kind = resource.split('.')[0]) =>
  new ApiError(404, 'NotFound', `${resource} "${name}" not found`, resourceDetails(name, group, kind));

export const alreadyExists = (resource: string, name: string, group = '', kind = resource.split('.')[0]) =>
  new ApiError(409, 'AlreadyExists', `${resource} "${name}" already exists`, resourceDetails(name, group, kind));

export const conflict = (resource: string, name: string, why: string, group = '', kind = resource.split('.')[0], causes?: StatusCause[]) =>
  new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${resource} "${name}": ${why}`, {
    ...resourceDetails(name, group, kind),
    ...(causes ? { causes } : {}),
  });

export const staleConflict = (resource: string, name: string, group = '', kind?: string) =>
  conflict(resource, name, 'the object has been modified; please apply your changes to the latest version and try again', group, kind);

export const badRequest = (message: string, causes?: StatusCause[]) =>
  new ApiError(400, 'BadRequest', message, causes ? { causes } : undefined);

export const forbidden = (message: string, details?: StatusDetails) => new ApiError(403, 'Forbidden', message, details);

export const unauthorized = (message = 'Unauthorized') => new ApiError(401, 'Unauthorized', message);

export const methodNotAllowed = (message: string) => new ApiError(405, 'MethodNotAllowed', message);

export const unsupportedMediaType = (message: string) => new ApiError(415, 'UnsupportedMediaType', message);

export const notAcceptable = (message: string) => new ApiError(406, 'NotAcceptable', message);

export const tooLarge = (message = 'Request entity too large: limit is 3145728') =>
  new ApiError(413, 'RequestEntityTooLarge', message);

export const expired = (message: string) => new ApiError(410, 'Expired', message);

export const gone = (message: string) => new ApiError(410, 'Gone', message);

export const internalError = (message: string) => new ApiError(500, 'InternalError', `Internal error occurred: ${message}`);

export const serviceUnavailable = (message: string) => new ApiError(503, 'ServiceUnavailable', message);

/** A field-level validation failure, as kube's field.Error. */
export interface FieldError {
  /** Dotted path with indices, e.g. `spec.podGroups[1].name`. */
  field: string;
  /** kube's FieldValueInvalid etc.: `FieldValueInvalid`, `FieldValueRequired`, ... */
  type: FieldErrorType;
  /** The detail, e.g. `must be greater than 0`. */
  detail: string;
  /** The bad value, rendered into the message for Invalid / NotSupported / Duplicate. */
  value?: unknown;
  hasValue?: boolean;
}

export type FieldErrorType =
  | 'FieldValueInvalid'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueNotSupported'
  | 'FieldValueTooMany'
  | 'FieldValueTooLong'
  | 'FieldValueTypeInvalid';

const typeWords: Record<FieldErrorType, string> = {
  FieldValueInvalid: 'Invalid value',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueForbidden: 'Forbidden',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueTooMany: 'Too many',
  FieldValueTooLong: 'Too long',
  FieldValueTypeInvalid: 'Invalid value',
};

// Strings as Go's %q prints them (kube's field errors use it).
const renderValue = (v: unknown) => (typeof v === 'string' ? goQuote(v) : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

/** kube's field.Error.ErrorBody(): `Invalid value: "x": detail`. */
export function fieldErrorBody(e: FieldError): string {
  const word = typeWords[e.type];
  const withValue = e.hasValue ?? (e.value !== undefined && e.type !== 'FieldValueRequired' && e.type !== 'FieldValueForbidden');
  const parts = [word];
  if (withValue) parts.push(renderValue(e.value));
  let s = parts.join(': ');
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

export const fieldError = {
  invalid: (field: string, value: unknown, detail: string): FieldError => ({ field, type: 'FieldValueInvalid', value, detail, hasValue: true }),
  required: (field: string, detail = ''): FieldError => ({ field, type: 'FieldValueRequired', detail }),
  duplicate: (field: string, value: unknown): FieldError => ({ field, type: 'FieldValueDuplicate', value, detail: '', hasValue: true }),
  forbidden: (field: string, detail: string): FieldError => ({ field, type: 'FieldValueForbidden', detail }),
  notSupported: (field: string, value: unknown, valid: string[]): FieldError => ({
    field,
    type: 'FieldValueNotSupported',
    value,
    hasValue: true,
    detail: `supported values: ${valid.map((v) => JSON.stringify(v)).join(', ')}`,
  }),
  tooMany: (field: string, actual: number, max: number): FieldError => ({
    field,
    type: 'FieldValueTooMany',
    value: actual,
    hasValue: true,
    detail: `must have at most ${max} items`,
  }),
};

/** 422 Invalid with one cause per field error, messages as kube-apiserver writes them. */
export function invalid(kind: string, group: string, name: string, errs: FieldError[]): ApiError {
  const msgs = errs.map((e) => `${e.field}: ${fieldErrorBody(e)}`);
  const list = msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
  const qualified = group ? `${kind}.${group}` : kind;
  return new ApiError(422, 'Invalid', `${qualified} "${name}" is invalid: ${list}`, {
    name,
    group,
    kind,
    causes: errs.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field })),
  });
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;
export const isNotFound = (e: unknown) => isApiError(e) && e.code === 404;
export const isConflict = (e: unknown) => isApiError(e) && e.code === 409 && e.reason === 'Conflict';
export const isAlreadyExists = (e: unknown) => isApiError(e) && e.reason === 'AlreadyExists';
