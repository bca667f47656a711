// A minimal HTTPS JSON client for end-to-end tests that must know exactly what
// happened to each request: a response (acknowledged or refused), or a
// transport failure that may or may not have reached the server.

import type { IncomingMessage } from 'node:http';
import { Agent, request } from 'node:https';

export interface KubeHttpOptions {
  baseUrl: string;
  ca: string;
  token: string;
  /** Reuse connections (as real clients do); default true. */
  keepAlive?: boolean;
  timeoutMs?: number;
}

export interface KubeResponse {
  status: number;
  /** Parsed JSON (or the raw text when not JSON); shapes vary by endpoint. */
  body: any;
}

/**
 * A request that got no response. `notSent` is true only when the connection was
 * refused, i.e. the server cannot have seen the request; anything else (reset,
 * hang-up, timeout) leaves the outcome unknown.
 */
export class TransportError extends Error {
  constructor(
    readonly code: string,
    readonly notSent: boolean,
    message: string,
  ) {
    super(message);
  }
}

export const isTransportError = (e: unknown): e is TransportError => e instanceof TransportError;

export class KubeHttp {
  readonly agent: Agent;

  constructor(private readonly opts: KubeHttpOptions) {
    this.agent = new Agent({ keepAlive: opts.keepAlive ?? true, maxSockets: 1, ca: opts.ca });
  }

  /** Sends one request; resolves with any HTTP response, rejects with TransportError. */
  send(method: string, path: string, body?: unknown): Promise<KubeResponse> {
    const url = new URL(path, this.opts.baseUrl);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string> = { Authorization: `Bearer ${this.opts.token}`, Accept: 'application/json' };
    if (payload) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (err: NodeJS.ErrnoException) => {
        if (settled) return;
        settled = true;
        const code = err.code ?? 'UNKNOWN';
        reject(new TransportError(code, code === 'ECONNREFUSED', `${method} ${path}: ${code} ${err.message}`));
      };
      const req = request(url, { method, agent: this.agent, headers, timeout: this.opts.timeoutMs ?? 20_000 }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', fail);
        res.on('aborted', () => fail(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // Non-JSON bodies are kept as text for the error report.
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', fail);
      req.end(payload);
    });
  }

  /** Like send, but throws unless the status is 2xx (for setup steps). */
  async ok(method: string, path: string, body?: unknown): Promise<KubeResponse['body']> {
    const r = await this.send(method, path, body);
    if (r.status < 200 || r.status > 299) throw new Error(`${method} ${path} -> ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Retries `fn` while the server is unreachable (e.g. restarting), up to `deadlineMs`. */
export async function whileUnreachable<T>(fn: () => Promise<T>, deadlineMs = 30_000): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (!isTransportError(e) || Date.now() > until) throw e;
      await sleep(50);
    }
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
