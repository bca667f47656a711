// Builds kube's `audit.k8s.io/v1` Event for each audited request and writes
// one line per stage: RequestReceived when the request is authenticated,
// ResponseStarted when a long-running response (watch, followed logs) sends
// its headers, ResponseComplete when the response ends. What an event holds
// follows its level: Metadata has who, what, where and the outcome, never a
// body (so never Secret data or a token); Request adds the request body;
// RequestResponse the response body too. Bodies belong to resource requests
// only, as in kube.

import { randomUUID } from 'node:crypto';
import type { UserInfo } from '../api/definition.js';
import type { ApiError } from '../api/errors.js';
import { evaluatePolicy, type AuditAttributes, type Level, type Policy, type Stage } from './policy.js';
import type { AuditSink } from './log-file.js';

export interface RequestFacts {
  requestURI: string;
  sourceIPs: string[];
  userAgent?: string;
  apiVersion?: string;
}

const micro = (d: Date) => d.toISOString().replace(/(\.\d{3})Z$/, '$1000Z');

function userJson(u: UserInfo): Record<string, unknown> {
  return {
    username: u.username,
    ...(u.uid ? { uid: u.uid } : {}),
    groups: u.groups,
    ...(u.extra && Object.keys(u.extra).length ? { extra: u.extra } : {}),
  };
}

function stripManagedFields(v: unknown): unknown {
  if (!v || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const meta = o.metadata as Record<string, unknown> | undefined;
  if (meta && typeof meta === 'object' && 'managedFields' in meta) {
    const { managedFields: _drop, ...rest } = meta;
    return { ...o, metadata: rest };
  }
  if (Array.isArray(o.items)) return { ...o, items: o.items.map(stripManagedFields) };
  return v;
}

/** One audited request: collects what later stages add, and writes its events. */
export class AuditRecord {
  readonly auditID = randomUUID();
  readonly received = new Date();
  impersonatedUser?: UserInfo;
  readonly annotations: Record<string, string> = {};
  requestObject?: unknown;
  responseObject?: unknown;
  /** The failure the response reports, for responseStatus. */
  error?: ApiError;
  private completed = false;

  constructor(
    private readonly auditor: Auditor,
    readonly level: Level,
    private readonly omitStages: ReadonlySet<Stage>,
    private readonly omitManagedFields: boolean,
    private readonly attrs: AuditAttributes,
    private readonly facts: RequestFacts,
  ) {}

  /** Whether this record keeps request (and, at RequestResponse, response) bodies. */
  get wantsRequestBody(): boolean {
    return this.attrs.resourceRequest && (this.level === 'Request' || this.level === 'RequestResponse');
  }

  get wantsResponseBody(): boolean {
    return this.attrs.resourceRequest && this.level === 'RequestResponse';
  }

  stage(stage: Stage, code?: number, err?: ApiError): void {
    if (stage === 'ResponseComplete' || stage === 'Panic') {
      if (this.completed) return;
      this.completed = true;
    }
    if (this.omitStages.has(stage)) return;
    const a = this.attrs;
    const event: Record<string, unknown> = {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: this.level,
      auditID: this.auditID,
      stage,
      requestURI: this.facts.requestURI,
      verb: a.verb,
      user: userJson(a.user),
      ...(this.impersonatedUser ? { impersonatedUser: userJson(this.impersonatedUser) } : {}),
      sourceIPs: this.facts.sourceIPs,
      ...(this.facts.userAgent ? { userAgent: this.facts.userAgent } : {}),
    };
    if (a.resourceRequest) {
      event.objectRef = {
        resource: a.resource,
        ...(a.namespace ? { namespace: a.namespace } : {}),
        ...(a.name ? { name: a.name } : {}),
        apiGroup: a.apiGroup ?? '',
        apiVersion: this.facts.apiVersion,
        ...(a.subresource ? { subresource: a.subresource } : {}),
      };
    }
    if (code !== undefined) {
      event.responseStatus = err
        ? { metadata: {}, status: 'Failure', message: err.message, reason: err.reason, code }
        : { metadata: {}, code };
    }
    const strip = this.omitManagedFields ? stripManagedFields : (x: unknown) => x;
    if (this.wantsRequestBody && this.requestObject !== undefined) event.requestObject = strip(this.requestObject);
    if (this.wantsResponseBody && this.responseObject !== undefined && stage === 'ResponseComplete') event.responseObject = strip(this.responseObject);
    event.requestReceivedTimestamp = micro(this.received);
    event.stageTimestamp = micro(new Date());
    if (Object.keys(this.annotations).length) event.annotations = this.annotations;
    this.auditor.emit(event);
  }
}

export class Auditor {
  constructor(
    private readonly policy: Policy,
    private readonly sink: AuditSink,
  ) {}

  /** Starts auditing a request; undefined when the policy's level for it is None. */
  begin(attrs: AuditAttributes, facts: RequestFacts): AuditRecord | undefined {
    const c = evaluatePolicy(this.policy, attrs);
    if (c.level === 'None') return undefined;
    const rec = new AuditRecord(this, c.level, c.omitStages, c.omitManagedFields, attrs, facts);
    rec.stage('RequestReceived');
    return rec;
  }

  emit(event: Record<string, unknown>): void {
    this.sink.write(JSON.stringify(event));
  }

  close(): void {
    this.sink.close();
  }
}
