// The options objects kube-apiserver decodes from a request's query (and,
// for DELETE, from its body): ListOptions, Create/Update/PatchOptions,
// DeleteOptions, TableOptions. Decoding follows apimachinery's conversions
// (a malformed number is a 400 carrying strconv's message); validation follows
// its Validate*Options functions (a 422 `XOptions.meta.k8s.io "" is invalid`).

import { badRequest, fieldError, invalid, type FieldError } from '../api/errors.js';
import { isPlainObject } from '../api/object.js';
import { goQuote, queryBool, queryInt64 } from '../api/query-values.js';
import type { ListOptions } from '../registry/list-options.js';

type OptionsKind = 'ListOptions' | 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions' | 'TableOptions';

const optionsInvalid = (kind: OptionsKind, errs: FieldError[]) => invalid(kind, 'meta.k8s.io', '', errs);

/** `field.NotSupported` for a []string value, which kube prints with Go's %#v. */
function notSupportedList(field: string, values: string[], valid: string[]): FieldError {
  return {
    field,
    type: 'FieldValueNotSupported',
    hasValue: false,
    detail: `[]string{${values.map(goQuote).join(', ')}}: supported values: ${valid.map((v) => JSON.stringify(v)).join(', ')}`,
  };
}

/** Go's strconv.ParseUint(s, 10, 64) message, or undefined when `s` parses. */
function parseUintError(s: string): string | undefined {
  if (!/^[0-9]+$/.test(s)) return `strconv.ParseUint: parsing ${goQuote(s)}: invalid syntax`;
  if (BigInt(s) > (1n << 64n) - 1n) return `strconv.ParseUint: parsing ${goQuote(s)}: value out of range`;
  return undefined;
}

/** A resourceVersion a list or watch can start from: empty, "0", or a revision (kube's ParseResourceVersion). */
export function checkResourceVersion(rv: string | undefined, qualified: string): void {
  if (rv === undefined || rv === '' || rv === '0') return;
  const problem = parseUintError(rv);
  if (problem) throw invalid(qualified, '', '', [fieldError.invalid('resourceVersion', rv, problem)]);
}

export interface WatchParams {
  allowBookmarks: boolean;
  /** Present only when the client sent it (kube's *bool). */
  sendInitialEvents?: boolean;
  /** Seconds, as sent; undefined means no timeout of the client's choosing. */
  timeoutSeconds?: bigint;
}

/** ListOptions from the query, decoded and validated for a list (or, with `watch`, a watch). */
export function listOptionsOf(query: URLSearchParams, watch = false): ListOptions & WatchParams {
  const limit = queryInt64(query, 'limit');
  const timeoutSeconds = queryInt64(query, 'timeoutSeconds');
  const opts: ListOptions & WatchParams = {
    labelSelector: query.get('labelSelector') ?? undefined,
    fieldSelector: query.get('fieldSelector') ?? undefined,
    limit: limit === undefined ? undefined : Number(limit),
    continue: query.get('continue') ?? undefined,
    resourceVersion: query.get('resourceVersion') ?? undefined,
    resourceVersionMatch: query.get('resourceVersionMatch') ?? undefined,
    allowBookmarks: queryBool(query, 'allowWatchBookmarks') ?? false,
    sendInitialEvents: queryBool(query, 'sendInitialEvents'),
    timeoutSeconds,
  };
  const errs = watch ? validateWatch(opts) : validateList(opts);
  if (errs.length) throw optionsInvalid('ListOptions', errs);
  return opts;
}

function validateList(o: ListOptions & WatchParams): FieldError[] {
  const errs: FieldError[] = [];
  const match = o.resourceVersionMatch;
  if (match) {
    if (!o.resourceVersion) errs.push(fieldError.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
    if (o.continue) errs.push(fieldError.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    if (match !== 'Exact' && match !== 'NotOlderThan') errs.push(fieldError.notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']));
    if (match === 'Exact' && o.resourceVersion === '0') errs.push(fieldError.forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
  }
  if (o.sendInitialEvents !== undefined) errs.push(fieldError.forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  return errs;
}

function validateWatch(o: ListOptions & WatchParams): FieldError[] {
  const errs: FieldError[] = [];
  const match = o.resourceVersionMatch;
  if (o.sendInitialEvents !== undefined && match !== 'NotOlderThan') {
    errs.push(fieldError.forbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
  }
  if (match) {
    if (o.sendInitialEvents === undefined) errs.push(fieldError.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
    if (match !== 'NotOlderThan') errs.push(fieldError.notSupported('resourceVersionMatch', match, ['NotOlderThan']));
    if (o.continue) errs.push(fieldError.forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
  }
  return errs;
}

/**
 * How long a watch may run, as kube computes it: timeoutSeconds × 1s in
 * Go's int64 nanoseconds (so huge values wrap), a negative result ending the
 * watch at once; when none is chosen (absent or 0), a random time in
 * [min, 2 × min) of `minRequestTimeoutSeconds` (none when that is 0). Timers
 * longer than node can arm (~24.8 days) are treated as no timeout.
 */
export function watchTimeoutMs(timeoutSeconds: bigint | undefined, minRequestTimeoutSeconds = 0, random: () => number = Math.random): number | undefined {
  const ns = timeoutSeconds === undefined ? 0n : BigInt.asIntN(64, timeoutSeconds * 1_000_000_000n);
  if (ns === 0n) return minRequestTimeoutSeconds > 0 ? Math.round(minRequestTimeoutSeconds * 1000 * (random() + 1)) : undefined;
  if (ns < 0n) return 0;
  const ms = Number(ns / 1_000_000n);
  return ms > 2_147_483_647 ? undefined : Math.max(ms, 1);
}

const FIELD_MANAGER_MAX = 128;

function validateFieldManager(manager: string | null): FieldError[] {
  if (manager === null) return [];
  const errs: FieldError[] = [];
  if (Buffer.byteLength(manager) > FIELD_MANAGER_MAX) {
    errs.push({ field: 'fieldManager', type: 'FieldValueTooLong', hasValue: false, detail: `may not be more than ${FIELD_MANAGER_MAX} bytes` });
  }
  let pos = 0;
  for (const ch of manager) {
    if (!/[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(ch)) {
      const u = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      errs.push(fieldError.invalid('fieldManager', manager, `invalid character ${u} (at position ${pos})`));
    }
    pos += Buffer.byteLength(ch);
  }
  return errs;
}

function validateDryRun(values: string[]): FieldError[] {
  return values.every((v) => v === 'All') ? [] : [notSupportedList('dryRun', values, ['All'])];
}

const FIELD_VALIDATIONS = ['', 'Ignore', 'Strict', 'Warn'];

/** Create, Update and PatchOptions checks; `patchType` for PATCH. */
export function validateWriteOptions(query: URLSearchParams, verb: 'create' | 'update' | 'patch', patchType?: string): void {
  const kind: OptionsKind = verb === 'create' ? 'CreateOptions' : verb === 'update' ? 'UpdateOptions' : 'PatchOptions';
  const errs: FieldError[] = [];
  const manager = query.get('fieldManager');
  if (verb === 'patch') {
    if (patchType !== 'application/apply-patch+yaml') {
      if (query.has('force')) errs.push(fieldError.forbidden('force', 'may not be specified for non-apply patch'));
    }
  }
  errs.push(...validateFieldManager(manager));
  errs.push(...validateDryRun(query.getAll('dryRun')));
  const fv = query.get('fieldValidation') ?? '';
  if (!FIELD_VALIDATIONS.includes(fv)) errs.push(fieldError.notSupported('fieldValidation', fv, FIELD_VALIDATIONS));
  if (errs.length) throw optionsInvalid(kind, errs);
}

/** TableOptions' includeObject, checked only when a Table is asked for. */
export function validateTableOptions(query: URLSearchParams): void {
  const v = query.get('includeObject') ?? '';
  if (v === '' || v === 'Metadata' || v === 'Object' || v === 'None') return;
  throw optionsInvalid('TableOptions', [fieldError.invalid('includeObject', v, "must be 'Metadata', 'Object', 'None', or empty")]);
}

export interface DecodedDeleteOptions {
  propagationPolicy?: string;
  orphanDependents?: boolean;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun: string[];
}

const goType = (v: unknown) => (typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);

/** The message Go's decoder gives for a DeleteOptions field of the wrong type. */
const unmarshalError = (v: unknown, field: string, type: string) =>
  badRequest(`json: cannot unmarshal ${typeof v === 'number' ? `number ${v}` : goType(v)} into Go struct field DeleteOptions.${field} of type ${type}`);

/** DeleteOptions from a decoded body (kube ignores the query when a body is sent). */
export function deleteOptionsFromBody(body: Record<string, unknown>): DecodedDeleteOptions {
  const out: DecodedDeleteOptions = { dryRun: [] };
  const g = body.gracePeriodSeconds;
  if (g !== undefined && g !== null) {
    if (typeof g !== 'number' || !Number.isInteger(g) || Math.abs(g) > 2 ** 63) throw unmarshalError(g, 'gracePeriodSeconds', 'int64');
    out.gracePeriodSeconds = g;
  }
  const p = body.propagationPolicy;
  if (p !== undefined && p !== null) {
    if (typeof p !== 'string') throw unmarshalError(p, 'propagationPolicy', 'v1.DeletionPropagation');
    out.propagationPolicy = p;
  }
  const o = body.orphanDependents;
  if (o !== undefined && o !== null) {
    if (typeof o !== 'boolean') throw unmarshalError(o, 'orphanDependents', 'bool');
    out.orphanDependents = o;
  }
  const d = body.dryRun;
  if (d !== undefined && d !== null) {
    if (!Array.isArray(d) || d.some((x) => typeof x !== 'string')) throw unmarshalError(d, 'dryRun', '[]string');
    out.dryRun = d as string[];
  }
  const pre = body.preconditions;
  if (pre !== undefined && pre !== null) {
    if (!isPlainObject(pre)) throw unmarshalError(pre, 'preconditions', 'v1.Preconditions');
    for (const k of ['uid', 'resourceVersion'] as const) {
      const v = pre[k];
      if (v !== undefined && v !== null && typeof v !== 'string') throw unmarshalError(v, `preconditions.${k}`, 'string');
    }
    out.preconditions = { uid: (pre.uid as string | null) ?? undefined, resourceVersion: (pre.resourceVersion as string | null) ?? undefined };
  }
  return out;
}

/** DeleteOptions from the query (no body sent). */
export function deleteOptionsFromQuery(query: URLSearchParams): DecodedDeleteOptions {
  const grace = queryInt64(query, 'gracePeriodSeconds');
  return {
    gracePeriodSeconds: grace === undefined ? undefined : Number(grace),
    propagationPolicy: query.get('propagationPolicy') ?? undefined,
    orphanDependents: queryBool(query, 'orphanDependents'),
    dryRun: query.getAll('dryRun'),
  };
}

const POLICIES = ['Foreground', 'Background', 'Orphan'];

/** kube's ValidateDeleteOptions. */
export function validateDeleteOptions(o: DecodedDeleteOptions): void {
  const errs: FieldError[] = [];
  if (o.orphanDependents !== undefined && o.propagationPolicy !== undefined) {
    errs.push(fieldError.invalid('propagationPolicy', o.propagationPolicy, 'orphanDependents and deletionPropagation cannot be both set'));
  }
  if (o.propagationPolicy !== undefined && !POLICIES.includes(o.propagationPolicy)) {
    errs.push(fieldError.notSupported('propagationPolicy', o.propagationPolicy, [...POLICIES, 'nil']));
  }
  errs.push(...validateDryRun(o.dryRun));
  if (errs.length) throw optionsInvalid('DeleteOptions', errs);
}
