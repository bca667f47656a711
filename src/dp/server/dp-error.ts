// Errors that end a DP stream: a gRPC status code plus the message the proxy
// shows its user verbatim (the authorization messages keep Kuma's wording).

import { status } from '@grpc/grpc-js';
import { isApiError } from '../../api/errors.js';

export class DpError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
    this.name = 'DpError';
  }
}

export const unauthenticated = (message: string) => new DpError(status.UNAUTHENTICATED, message);
export const permissionDenied = (message: string) => new DpError(status.PERMISSION_DENIED, message);
export const invalidArgument = (message: string) => new DpError(status.INVALID_ARGUMENT, message);
export const failedPrecondition = (message: string) => new DpError(status.FAILED_PRECONDITION, message);

const API_TO_GRPC: Record<number, status> = {
  400: status.INVALID_ARGUMENT,
  401: status.UNAUTHENTICATED,
  403: status.PERMISSION_DENIED,
  404: status.NOT_FOUND,
  409: status.ABORTED,
  422: status.INVALID_ARGUMENT,
  503: status.UNAVAILABLE,
};

/** Any error as a DpError; API errors keep their message, others become INTERNAL. */
export function toDpError(e: unknown): DpError {
  if (e instanceof DpError) return e;
  if (isApiError(e)) return new DpError(API_TO_GRPC[e.code] ?? status.INTERNAL, e.message);
  return new DpError(status.INTERNAL, e instanceof Error ? e.message : String(e));
}
