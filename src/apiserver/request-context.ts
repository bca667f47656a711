// What a resource handler gets: the parsed request, the store, the user, and
// helpers for content negotiation and options shared by several verbs.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserInfo } from '../api/definition.js';
import { badRequest } from '../api/errors.js';
import type { ResourceStore } from '../registry/resource-store.js';
import type { FieldValidation, WriteOptions } from '../registry/write-pipeline.js';
import type { ResourceRequest } from './request-info.js';
import type { IncludeObject } from './table.js';

export interface HandlerContext {
  req: IncomingMessage;
  res: ServerResponse;
  info: ResourceRequest;
  query: URLSearchParams;
  store: ResourceStore;
  user: UserInfo;
  /** The request's body, read and size-checked lazily. */
  body(): Promise<Buffer>;
}

export function wantsTable(req: IncomingMessage): boolean {
  const accept = req.headers.accept;
  return !!accept && accept.includes('as=Table');
}

export function includeObject(query: URLSearchParams): IncludeObject {
  const v = query.get('includeObject');
  return v === 'Object' || v === 'None' ? v : 'Metadata';
}

export function dryRunOf(query: URLSearchParams): boolean {
  const v = query.getAll('dryRun');
  if (v.length === 0) return false;
  for (const x of v) if (x !== 'All') throw badRequest(`dryRun: Unsupported value: "${x}": supported values: "All"`);
  return true;
}

export function fieldValidationOf(query: URLSearchParams): FieldValidation {
  const v = query.get('fieldValidation');
  if (!v) return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got "${v}"`);
}

/** The manager a write is recorded under: ?fieldManager, else the user agent's program name. */
export function fieldManagerOf(req: IncomingMessage, query: URLSearchParams): string {
  const explicit = query.get('fieldManager');
  if (explicit) {
    if (explicit.length > 128) throw badRequest('fieldManager: Too long: may not be longer than 128');
    return explicit;
  }
  const ua = req.headers['user-agent'] ?? 'unknown';
  return ua.split('/')[0] || 'unknown';
}

export function writeOptions(ctx: HandlerContext, subresource?: string): WriteOptions {
  return {
    user: ctx.user,
    dryRun: dryRunOf(ctx.query),
    fieldManager: fieldManagerOf(ctx.req, ctx.query),
    fieldValidation: fieldValidationOf(ctx.query),
    subresource,
  };
}

export function warningHeaders(warnings: string[]): Record<string, string> | undefined {
  if (!warnings.length) return undefined;
  return { Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', ') };
}
