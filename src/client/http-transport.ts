// Requests to a Kubernetes-compatible API server over HTTPS (or plain HTTP in
// tests): one keep-alive agent pinned to the cluster's CA, a bearer token,
// JSON bodies, errors rebuilt from the server's Status, and watch streams read
// as newline-delimited JSON.

import http from 'node:http';
import https from 'node:https';
import { ApiError, type StatusReason } from '../api/errors.js';
import type { ClusterConnection } from './kubeconfig.js';

export interface TransportOptions extends ClusterConnection {
  userAgent?: string;
  /** Per-request timeout for everything but watches. Default 60s. */
  timeoutMs?: number;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
}

export interface LineStream {
  abort(): void;
}

const REASONS: Record<number, StatusReason> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Gone',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** The ApiError a server's reply stands for: its Status when it sent one, else one made from the code. */
export function apiErrorFrom(code: number, body: unknown): ApiError {
  const s = (typeof body === 'string' ? tryJson(body) : body) as Record<string, unknown> | undefined;
  if (s && typeof s === 'object' && s.kind === 'Status') {
    const c = typeof s.code === 'number' ? s.code : code;
    return new ApiError(c, (s.reason as StatusReason) || REASONS[c] || 'InternalError', String(s.message ?? ''), s.details as never);
  }
  const text = typeof body === 'string' ? body.trim() : '';
  return new ApiError(code, REASONS[code] ?? (code >= 500 ? 'InternalError' : 'BadRequest'), text || `the server responded with status ${code}`);
}

const tryJson = (s: string): unknown => {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
};

export class HttpTransport {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly mod: typeof http | typeof https;

  constructor(private readonly opts: TransportOptions) {
    this.base = new URL(opts.server);
    const tls = this.base.protocol === 'https:';
    this.mod = tls ? https : http;
    this.agent = tls
      ? new https.Agent({ keepAlive: true, ca: opts.caPem, cert: opts.certPem, key: opts.keyPem, rejectUnauthorized: !opts.insecureSkipTlsVerify })
      : new http.Agent({ keepAlive: true });
  }

  /** JSON in, JSON out; a status >= 400 rejects with the ApiError it stands for. */
  async request(method: string, path: string, o: RequestOptions = {}): Promise<{ status: number; body: unknown }> {
    const { res, text } = await new Promise<{ res: http.IncomingMessage; text: string }>((resolve, reject) => {
      // Node frames DELETE bodies only with an explicit length.
      const payload = o.body === undefined ? undefined : Buffer.from(JSON.stringify(o.body));
      const req = this.open(method, path, o.query, o.contentType ?? (payload ? 'application/json' : undefined), payload?.length);
      req.setTimeout(this.opts.timeoutMs ?? 60_000, () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on('error', reject);
      req.on('response', (res) => {
        res.setEncoding('utf8');
        let text = '';
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ res, text }));
        res.on('error', reject);
      });
      req.end(payload);
    });
    const status = res.statusCode ?? 0;
    if (status >= 400) throw apiErrorFrom(status, text);
    return { status, body: text ? tryJson(text) ?? text : undefined };
  }

  /**
   * GETs a streaming response and hands each JSON line to `onLine`. `onEnd` runs once:
   * without an error when the server ends the stream, with one on failure; never after abort().
   */
  streamLines(path: string, query: RequestOptions['query'], onLine: (v: unknown) => void, onEnd: (err?: Error) => void): LineStream {
    let done = false;
    const end = (err?: Error) => {
      if (done) return;
      done = true;
      onEnd(err);
    };
    const req = this.open('GET', path, query);
    req.on('error', (e) => end(e));
    req.on('response', (res) => {
      res.setEncoding('utf8');
      const status = res.statusCode ?? 0;
      let buf = '';
      if (status >= 400) {
        res.on('data', (c: string) => (buf += c));
        res.on('end', () => end(apiErrorFrom(status, buf)));
        return;
      }
      res.on('data', (c: string) => {
        buf += c;
        let nl: number;
        while (!done && (nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (!line) continue;
          const v = tryJson(line);
          if (v === undefined) {
            end(new Error(`watch ${path}: malformed line`));
            req.destroy();
            return;
          }
          onLine(v);
        }
      });
      res.on('end', () => end());
      res.on('error', (e) => end(e));
      res.on('aborted', () => end(new Error(`watch ${path}: connection aborted`)));
    });
    req.end();
    return {
      abort: () => {
        done = true;
        req.destroy();
      },
    };
  }

  close(): void {
    this.agent.destroy();
  }

  private open(method: string, path: string, query: RequestOptions['query'], contentType?: string, length?: number): http.ClientRequest {
    const url = new URL(this.base.pathname.replace(/\/$/, '') + path, this.base);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': this.opts.userAgent ?? 'workplane-client' };
    if (contentType) headers['Content-Type'] = contentType;
    if (length !== undefined) headers['Content-Length'] = String(length);
    if (this.opts.token) headers.Authorization = `Bearer ${this.opts.token}`;
    return this.mod.request(url, { method, agent: this.agent, headers });
  }
}
