// Writing responses: JSON bodies, Status objects for errors, content types.

import type { ServerResponse } from 'node:http';
import { ApiError, internalError, tooLarge } from '../api/errors.js';
import { isValueTooLarge } from '../storage/types.js';

export const JSON_TYPE = 'application/json';
export const TABLE_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
export const DISCOVERY_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

export function writeJson(res: ServerResponse, code: number, body: unknown, contentType = JSON_TYPE, headers?: Record<string, string>): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  // The client's object, not the server, is at fault: 413 as for an oversized body.
  if (isValueTooLarge(e)) return tooLarge(`Request entity too large: ${e.message}`);
  return internalError((e as Error)?.message ?? String(e));
}

export function writeError(res: ServerResponse, e: unknown): ApiError {
  const err = toApiError(e);
  if (res.headersSent) {
    res.end();
    return err;
  }
  writeJson(res, err.code, err.toStatus());
  return err;
}

export const successStatus = (details?: Record<string, unknown>) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Success',
  ...(details ? { details } : {}),
});
