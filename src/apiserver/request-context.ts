// What a resource handler gets: the parsed request, the store, the user, and
// helpers for content negotiation and options shared by several verbs.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserInfo } from '../api/definition.js';
import type { ResourceStore } from '../registry/resource-store.js';
import type { FieldValidation, WriteOptions } from '../registry/write-pipeline.js';
import type { ResourceRequest } from './request-info.js';
import type { IncludeObject } from './table.js';
import { validateWriteOptions } from './request-options.js';
import type { WatchStreamLimits } from './watch-stream.js';

export interface HandlerContext {
  req: IncomingMessage;
  res: ServerResponse;
  info: ResourceRequest;
  query: URLSearchParams;
  store: ResourceStore;
  user: UserInfo;
  /** The request's body, read and size-checked lazily. */
  body(): Promise<Buffer>;
  /** For watches: the stream's limits (defaults when absent) and what to do when one is cut off. */
  watch?: { limits?: Partial<WatchStreamLimits>; onCutOff(): void };
}

export function wantsTable(req: IncomingMessage): boolean {
  const accept = req.headers.accept;
  return !!accept && accept.includes('as=Table');
}

export function includeObject(query: URLSearchParams): IncludeObject {
  const v = query.get('includeObject');
  return v === 'Object' || v === 'None' ? v : 'Metadata';
}

/** True when dryRun=All was asked for (values are validated with the verb's options). */
export function dryRunOf(query: URLSearchParams): boolean {
  return query.getAll('dryRun').length > 0;
}

/** The fieldValidation directive; empty or absent means Warn (values are validated with the verb's options). */
export function fieldValidationOf(query: URLSearchParams): FieldValidation {
  const v = query.get('fieldValidation');
  return v === 'Strict' || v === 'Ignore' ? v : 'Warn';
}

/** The manager a write is recorded under: ?fieldManager, else the user agent's program name. */
export function fieldManagerOf(req: IncomingMessage, query: URLSearchParams): string {
  const explicit = query.get('fieldManager');
  if (explicit) return explicit;
  const ua = req.headers['user-agent'] ?? 'unknown';
  return ua.split('/')[0] || 'unknown';
}

/** The write's options, after kube's Create/Update/PatchOptions validation for the request's verb. */
export function writeOptions(ctx: HandlerContext, subresource?: string): WriteOptions {
  const verb = ctx.info.verb;
  if (verb === 'create' || verb === 'update' || verb === 'patch') {
    validateWriteOptions(ctx.query, verb, verb === 'patch' ? (ctx.req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase() : undefined);
  }
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
