// The API server's HTTP(S) front: authentication, impersonation, audit,
// authorization, non-resource endpoints (version, health, discovery, OpenAPI,
// metrics), and routing of resource requests to the generic handlers. Errors
// become Status objects here only.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { UserInfo } from '../api/definition.js';
import { ApiError, internalError, notFound, unauthorized } from '../api/errors.js';
import type { Registry } from '../registry/registry.js';
import type { Authenticator, TlsPeer } from '../security/index.js';
import { alwaysAllow, forbiddenError, requestAttributes, type Authorizer } from '../authz/index.js';
import { impersonate, wantsImpersonation } from '../authz/impersonation.js';
import type { AuditRecord, Auditor } from '../audit/auditor.js';
import { decodeBody, mediaType, readBody } from './body.js';
import { consoleFiles } from './console-files.js';
import { Discovery, wantsAggregated } from './discovery.js';
import type { ApiMetrics } from './metrics.js';
import { emptyOpenApiV2, type OpenApiPublisher } from './openapi.js';
import { parseRequestInfo, type RequestInfo, type ResourceRequest } from './request-info.js';
import { parseRequestTarget } from './request-target.js';
import { warningHeaders, type HandlerContext } from './request-context.js';
import { CustomHandlers, handleResource } from './resource-handler.js';
import { DISCOVERY_TYPE, JSON_TYPE, writeError, writeJson } from './response.js';
import type { StaticFiles } from './static-files.js';
import type { WatchStreamLimits } from './watch-stream.js';

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  [k: string]: string;
}

export interface ApiServerDeps {
  registry: Registry;
  authenticator: Authenticator;
  openapi: OpenApiPublisher;
  metrics: ApiMetrics;
  logger: Logger;
  version: VersionInfo;
  custom: CustomHandlers;
  /** Readiness: false until controllers and caches are started. */
  ready: () => boolean;
  serverAddress: () => string;
  /** Decides whether an authenticated user may make the request (default: everyone may do everything). */
  authorizer?: Authorizer;
  /** Extra `Warning:` headers for a get or list (say, of objects the answer leaves out); must be cheap. */
  readWarnings?: (info: ResourceRequest) => string[];
  /** Writes the audit log (off when absent). */
  auditor?: Auditor;
  /** The web console's files, served at /console without credentials (default: the built bundle in dist/console/static). */
  console?: StaticFiles;
  /** Bounds of each watch stream (defaults: DEFAULT_WATCH_LIMITS). */
  watchLimits?: Partial<WatchStreamLimits>;
}

const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version', '/healthz/ping', '/livez/ping', '/readyz/ping']);

export class ApiServer {
  readonly discovery: Discovery;
  private readonly openWatches = new Set<ServerResponse>();
  private readonly console: StaticFiles;

  constructor(private readonly deps: ApiServerDeps) {
    this.discovery = new Discovery(deps.registry, deps.serverAddress);
    this.console = deps.console ?? consoleFiles();
  }

  /** Ends open watch streams cleanly (terminating chunk), so clients resume rather than error. */
  endWatches(): void {
    for (const res of this.openWatches) res.end();
    this.openWatches.clear();
  }

  /** The request listener for node:https / node:http. Nothing a client sends may escape it. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    this.serve(req, res).catch((err: unknown) => this.lastResort(req, res, err));
  };

  /**
   * For the server's `clientError` event: a request node cannot parse (bad
   * request line, oversized headers, headers or body too slow) gets an answer
   * and the connection closes; nothing reaches the handlers.
   */
  readonly onClientError = (err: NodeJS.ErrnoException, socket: Duplex): void => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [code, reason, text] =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'RequestHeaderFieldsTooLarge', 'Request Header Fields Too Large']
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'Timeout', 'Request Timeout']
          : [400, 'BadRequest', 'Bad Request'];
    const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${text}: ${err.code ?? err.message}`, reason, code });
    socket.end(`HTTP/1.1 ${code} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  };

  /** A failure outside the per-request error handling: log it, answer 500 if still possible, never crash. */
  private lastResort(req: IncomingMessage, res: ServerResponse, err: unknown): void {
    this.deps.logger.error({ err, method: req.method, url: req.url }, 'request handling failed unexpectedly');
    try {
      if (!res.headersSent) writeJson(res, 500, internalError('the server could not handle the request').toStatus());
      else res.destroy();
    } catch {
      res.destroy();
    }
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    let info: RequestInfo | undefined;
    const body: BodyHolder = {};
    let audit: AuditRecord | undefined;
    let code = 200;
    try {
      const target = parseRequestTarget(req.url);
      // The console's files are public: the page holds no data until the user gives it a token.
      if (this.console.owns(target.path)) return this.console.serve(req, res, target.path);
      info = parseRequestInfo(req.method ?? 'GET', target.path, target.query);
      let user: UserInfo | null = null;
      if (!PUBLIC_PATHS.has(target.path)) {
        user = await this.deps.authenticator.authenticate(req.headers.authorization, req.socket as TlsPeer);
        if (!user) throw unauthorized();
        const authorizer = this.deps.authorizer ?? alwaysAllow;
        if (this.deps.auditor) audit = this.beginAudit(req, res, info, user, target.path, body);
        if (wantsImpersonation(req.headers)) {
          user = impersonate(user, req.headersDistinct, authorizer);
          if (audit) audit.impersonatedUser = user;
        }
        const attrs = requestAttributes(user, info, req.method ?? 'GET', target.query);
        const verdict = authorizer.authorize(attrs);
        if (audit) {
          audit.annotations['authorization.k8s.io/decision'] = verdict.decision === 'allow' ? 'allow' : 'forbid';
          audit.annotations['authorization.k8s.io/reason'] = verdict.reason;
        }
        if (verdict.decision !== 'allow') throw forbiddenError(attrs, verdict.reason);
      }
      if (info.kind === 'nonResource') await this.serveNonResource(req, res, target.path);
      else await this.serveResource(req, res, info, target.query, user!, body);
      code = res.statusCode;
    } catch (e) {
      const err = writeError(res, e);
      code = err.code;
      if (audit) audit.error = err;
      if (code >= 500) this.deps.logger.error({ err: e, method: req.method, url: req.url }, 'request failed');
    } finally {
      // Only served resources are counted: labels taken from arbitrary paths would grow the metrics without bound.
      const store = info?.kind === 'resource' ? this.deps.registry.lookup(info.group, info.version, info.resource) : undefined;
      if (info?.kind === 'resource' && store) {
        const sub = info.subresource;
        const known = sub === undefined || sub === 'status' || sub === 'scale' || store.def.extraSubresources?.includes(sub);
        const labels = { verb: info.verb, group: info.group, resource: info.resource, subresource: known ? (sub ?? '') : 'unknown', code: String(code) };
        this.deps.metrics.requests.inc(labels);
        if (info.verb !== 'watch') this.deps.metrics.latency.observe({ verb: info.verb, group: info.group, resource: info.resource }, (performance.now() - started) / 1000);
      }
    }
  }

  /**
   * Starts the audit record of an authenticated request and arranges its
   * later stages: ResponseStarted when a long-running response sends its
   * headers, ResponseComplete (with the bodies the level asks for) when the
   * response ends.
   */
  private beginAudit(req: IncomingMessage, res: ServerResponse, info: RequestInfo, user: UserInfo, path: string, body: BodyHolder): AuditRecord | undefined {
    const resource = info.kind === 'resource';
    const rec = this.deps.auditor!.begin(
      {
        user,
        verb: resource ? info.verb : (req.method ?? 'GET').toLowerCase(),
        resourceRequest: resource,
        apiGroup: resource ? info.group : undefined,
        resource: resource ? info.resource : undefined,
        subresource: resource ? info.subresource : undefined,
        namespace: resource ? info.namespace : undefined,
        name: resource ? info.name : undefined,
        path,
      },
      {
        requestURI: req.url ?? '/',
        sourceIPs: [req.socket.remoteAddress ?? ''].filter(Boolean),
        userAgent: req.headers['user-agent'],
        apiVersion: resource ? info.version : undefined,
      },
    );
    if (!rec) return undefined;
    const longRunning = resource && (info.verb === 'watch' || (info.subresource === 'log' && /[?&]follow=(true|1)/.test(req.url ?? '')));
    if (longRunning) {
      const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => ServerResponse;
      res.writeHead = ((...a: unknown[]) => {
        rec.stage('ResponseStarted', typeof a[0] === 'number' ? a[0] : undefined);
        res.writeHead = writeHead as ServerResponse['writeHead'];
        return writeHead(...a);
      }) as ServerResponse['writeHead'];
    } else if (rec.wantsResponseBody) {
      const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
      res.end = ((...a: unknown[]) => {
        const chunk = a[0];
        if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) rec.responseObject = parseJson(chunk.toString());
        return end(...a);
      }) as ServerResponse['end'];
    }
    res.once('close', () => {
      void (async () => {
        if (rec.wantsRequestBody && body.promise) rec.requestObject = await decodedBody(req, body.promise);
        rec.stage('ResponseComplete', res.statusCode, rec.error);
      })();
    });
    return rec;
  }

  private async serveResource(req: IncomingMessage, res: ServerResponse, info: ResourceRequest, query: URLSearchParams, user: UserInfo, body: BodyHolder): Promise<void> {
    const store = this.deps.registry.lookup(info.group, info.version, info.resource);
    if (!store) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    // The legacy `/watch/` paths are GET-only routes for objects and collections, never subresources.
    if (info.verbFromPath) {
      if (info.subresource !== undefined) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    }
    if (!store.def.namespaced && info.namespace !== undefined) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    if (store.def.namespaced && info.namespace === undefined && info.named) {
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    }
    if (store.def.namespaced && info.namespace === undefined && (info.verb === 'create' || info.verb === 'deletecollection') && !store.def.virtual) {
      throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
    }
    if ((info.verb === 'get' || info.verb === 'list') && this.deps.readWarnings) {
      const headers = warningHeaders(this.deps.readWarnings(info));
      if (headers) res.setHeader('Warning', headers.Warning); // kept by writeHead, errors (404) included
    }
    const ctx: HandlerContext = { req, res, info, query, store, user, body: () => (body.promise ??= readBody(req)) };
    if (info.verb === 'watch') {
      const gauge = { group: info.group, resource: info.resource };
      ctx.watch = { limits: this.deps.watchLimits, onCutOff: () => this.deps.metrics.terminatedWatchers.inc(gauge) };
      this.deps.metrics.watches.inc(gauge);
      this.openWatches.add(res);
      res.on('close', () => {
        this.openWatches.delete(res);
        this.deps.metrics.watches.dec(gauge);
      });
    }
    await handleResource(ctx, this.deps.custom);
  }

  private async serveNonResource(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const p = path.replace(/\/+$/, '') || '/';
    const accept = req.headers.accept;
    switch (p) {
      case '/version':
        return writeJson(res, 200, this.deps.version);
      case '/healthz':
      case '/livez':
      case '/healthz/ping':
      case '/livez/ping':
        return text(res, 200, 'ok');
      case '/readyz':
        return this.deps.ready() ? text(res, 200, 'ok') : text(res, 503, '[-]informer-sync failed: not ready\nreadyz check failed');
      case '/metrics': {
        const body = await this.deps.metrics.registry.metrics();
        res.writeHead(200, { 'Content-Type': this.deps.metrics.registry.contentType });
        res.end(body);
        return;
      }
      case '/api':
      case '/apis':
        if (wantsAggregated(accept)) return writeJson(res, 200, this.discovery.aggregated(p), DISCOVERY_TYPE);
        return writeJson(res, 200, this.discovery.legacy(p));
      case '/openapi/v3':
        return writeJson(res, 200, this.deps.openapi.root());
      case '/openapi/v2': {
        const v2 = emptyOpenApiV2(accept);
        res.writeHead(200, { 'Content-Type': v2.type, 'Content-Length': v2.body.length });
        res.end(v2.body);
        return;
      }
      case '/':
        return writeJson(res, 200, { paths: ['/api', '/api/v1', '/apis', '/console', '/healthz', '/livez', '/metrics', '/openapi/v3', '/readyz', '/version'] });
    }
    if (p.startsWith('/openapi/v3/')) {
      const doc = this.deps.openapi.document(p.slice('/openapi/v3/'.length));
      if (!doc) throw notFound('openapi', p);
      res.writeHead(200, { 'Content-Type': JSON_TYPE, ETag: `"${doc.etag}"`, 'Cache-Control': 'public, immutable', 'Content-Length': doc.body.length });
      res.end(doc.body);
      return;
    }
    const list = this.discovery.resourceList(p);
    if (list) return writeJson(res, 200, list);
    if (p.startsWith('/apis/')) {
      const group = p.slice('/apis/'.length);
      const g = this.deps.registry.groupVersions().filter((x) => x.group === group);
      if (g.length) {
        return writeJson(res, 200, {
          kind: 'APIGroup',
          apiVersion: 'v1',
          name: group,
          versions: g.map((x) => ({ groupVersion: `${group}/${x.version}`, version: x.version })),
          preferredVersion: { groupVersion: `${group}/${g[0].version}`, version: g[0].version },
        });
      }
    }
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  }
}

function text(res: ServerResponse, code: number, body: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** The request body, once a handler has read it (the audit log may want it after). */
interface BodyHolder {
  promise?: Promise<Buffer>;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function decodedBody(req: IncomingMessage, p: Promise<Buffer>): Promise<unknown> {
  try {
    return decodeBody(await p, mediaType(req), false).value;
  } catch {
    return undefined;
  }
}
