// The query parameters of a log request (`kubectl logs` flags), read and
// written in one place: the API server's pods/log handler parses them from
// kubectl, forwards them to a node's log server, which parses them again.
// Validation follows kube-apiserver's PodLogOptions rules.

import { badRequest, fieldError, type FieldError } from '../../api/errors.js';
import { queryBool, queryInt64Number } from '../../api/query-values.js';
import type { LogRequest } from '../log-source.js';

export interface ParsedLogQuery {
  request: LogRequest;
  /** Field errors (negative tailLines...), for a 422 Invalid PodLogOptions. */
  errors: FieldError[];
}

/** kube's query boolean: only "false" and "0" (any case) are false. */
const bool = queryBool;

/** An int64 parameter as Go's strconv.ParseInt reads it; a malformed one is a 400. An empty value is unset. */
function int(q: URLSearchParams, name: string): number | undefined {
  if (q.get(name) === '') return undefined;
  return queryInt64Number(q, name);
}

/** Reads a log request; `sinceTime` becomes `sinceSeconds` relative to `now`. Throws 400 on malformed values. */
export function parseLogQuery(q: URLSearchParams, now = Date.now()): ParsedLogQuery {
  const request: LogRequest = {};
  const container = q.get('container');
  if (container) request.container = container;
  for (const name of ['follow', 'previous', 'timestamps'] as const) {
    const v = bool(q, name);
    if (v) request[name] = true;
  }
  const tailLines = int(q, 'tailLines');
  const limitBytes = int(q, 'limitBytes');
  const sinceSeconds = int(q, 'sinceSeconds');
  const sinceTimeText = q.get('sinceTime');
  let sinceTime: number | undefined;
  if (sinceTimeText) {
    sinceTime = Date.parse(sinceTimeText);
    if (Number.isNaN(sinceTime)) throw badRequest(`parsing time ${JSON.stringify(sinceTimeText)} as "2006-01-02T15:04:05Z07:00": cannot parse`);
  }
  const errors: FieldError[] = [];
  if (tailLines !== undefined) {
    if (tailLines < 0) errors.push(fieldError.invalid('tailLines', tailLines, 'must be greater than or equal to 0'));
    else request.tailLines = tailLines;
  }
  if (limitBytes !== undefined) {
    if (limitBytes < 1) errors.push(fieldError.invalid('limitBytes', limitBytes, 'must be greater than 0'));
    else request.limitBytes = limitBytes;
  }
  if (sinceSeconds !== undefined && sinceTime !== undefined) {
    errors.push(fieldError.forbidden('', 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  } else if (sinceSeconds !== undefined) {
    if (sinceSeconds < 1) errors.push(fieldError.invalid('sinceSeconds', sinceSeconds, 'must be greater than 0'));
    else request.sinceSeconds = sinceSeconds;
  } else if (sinceTime !== undefined) {
    request.sinceSeconds = Math.max(1, Math.ceil((now - sinceTime) / 1000));
  }
  return { request, errors };
}

/** The query string a log server reads (the container travels in the path). */
export function logQueryString(r: LogRequest): string {
  const q = new URLSearchParams();
  if (r.follow) q.set('follow', 'true');
  if (r.previous) q.set('previous', 'true');
  if (r.timestamps) q.set('timestamps', 'true');
  if (r.tailLines !== undefined) q.set('tailLines', String(r.tailLines));
  if (r.limitBytes !== undefined) q.set('limitBytes', String(r.limitBytes));
  if (r.sinceSeconds !== undefined) q.set('sinceSeconds', String(r.sinceSeconds));
  const s = q.toString();
  return s ? `?${s}` : '';
}
