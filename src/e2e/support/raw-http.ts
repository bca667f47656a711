// Low-level HTTP for tests that send what no well-behaved client sends:
// bytes over a raw TLS socket (bad request lines, dribbled headers), and
// single HTTPS requests with any method, path, headers and body. Every call
// settles: with the response, with how the connection ended, or on a timeout.

import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { connect, type TLSSocket } from 'node:tls';

export interface Target {
  url: string;
  caPem: string;
  adminToken: string;
}

export interface RawResult {
  /** Everything the server sent. */
  text: string;
  /** Status code parsed from the first response line, if any came. */
  status?: number;
  /** The server closed (or reset) the connection. */
  closed: boolean;
  /** Our deadline passed first. */
  timedOut: boolean;
}

/** Writes `chunks` to a fresh TLS connection, pausing `gapMs` between them, and reads until the server closes or `timeoutMs`. */
export function rawTls(t: Target, chunks: (string | Buffer)[], opts: { gapMs?: number; timeoutMs?: number } = {}): Promise<RawResult> {
  const u = new URL(t.url);
  return new Promise((resolve) => {
    let text = '';
    let done = false;
    let socket: TLSSocket;
    const finish = (closed: boolean, timedOut: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ text, status: m ? Number(m[1]) : undefined, closed, timedOut });
    };
    const timer = setTimeout(() => finish(false, true), opts.timeoutMs ?? 10_000);
    socket = connect({ host: u.hostname, port: Number(u.port), ca: t.caPem, servername: 'localhost' }, async () => {
      for (const c of chunks) {
        if (done || socket.destroyed) return;
        socket.write(c);
        if (opts.gapMs) await new Promise((r) => setTimeout(r, opts.gapMs));
      }
    });
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (text += d));
    socket.on('end', () => finish(true, false));
    socket.on('close', () => finish(true, false));
    socket.on('error', () => finish(true, false));
  });
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Parsed JSON body, when it is JSON. */
  json?: any;
  /** Set when no response came: the transport error code. */
  error?: string;
}

export interface HttpOptions {
  headers?: Record<string, string>;
  /** Send no Authorization header. */
  anonymous?: boolean;
  timeoutMs?: number;
  /** Give up reading after this many bytes (streams). */
  maxBytes?: number;
  /** Settle as soon as a 1xx/2xx/3xx status arrives and close (a watch that would stream on); errors are still read whole. */
  headersOnly?: boolean;
}

/** One HTTPS request; resolves with the response or with `error` set, never rejects. */
export function httpRequest(t: Target, method: string, path: string, body?: string | Buffer, opts: HttpOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { ...(opts.anonymous ? {} : { Authorization: `Bearer ${t.adminToken}` }), ...opts.headers };
  if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
  return new Promise((resolve) => {
    let settled = false;
    const settle = (r: HttpResult) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    // `path` is sent as written (no URL normalisation), so malformed targets reach the server.
    const u = new URL(t.url);
    const req = request({ host: u.hostname, port: u.port, method, path, ca: t.caPem, headers, timeout: opts.timeoutMs ?? 20_000, agent: false }, (res) => {
      if (opts.headersOnly && (res.statusCode ?? 0) < 400) {
        settle({ status: res.statusCode ?? 0, headers: res.headers, text: '' });
        req.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          /* not JSON */
        }
        settle({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      };
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (opts.maxBytes && size >= opts.maxBytes) {
          done();
          req.destroy();
        }
      });
      res.on('end', done);
      res.on('error', () => done());
      res.on('aborted', () => done());
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => settle({ status: 0, headers: {}, text: '', error: e.code ?? e.message }));
    req.end(body);
  });
}

export interface RawWatch<E> {
  /** Each newline-delimited JSON frame, parsed, in order. */
  events: E[];
  /** The response once its headers arrive; never settles if the connection fails first. */
  response: Promise<IncomingMessage>;
  /** The response's status code, or 0 when the connection failed. */
  status: Promise<number>;
  /** How the stream ended: cleanly (the terminating chunk) or cut off. */
  ended: Promise<'end' | 'aborted'>;
  close(): void;
}

/** A watch as a test reads it: `path` with its query (watch=true included), the admin token, frames collected as they come. */
export function rawWatch<E = { type: string; object: Record<string, any> }>(t: Target, path: string, opts: { accept?: string } = {}): RawWatch<E> {
  const events: E[] = [];
  let onResponse!: (r: IncomingMessage) => void;
  const response = new Promise<IncomingMessage>((r) => (onResponse = r));
  let onStatus!: (n: number) => void;
  const status = new Promise<number>((r) => (onStatus = r));
  let req!: ReturnType<typeof request>;
  const ended = new Promise<'end' | 'aborted'>((resolve) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${t.adminToken}` };
    if (opts.accept) headers.Accept = opts.accept;
    req = request(new URL(path, t.url), { ca: t.caPem, agent: false, headers }, (res) => {
      onResponse(res);
      onStatus(res.statusCode ?? 0);
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.trim()) events.push(JSON.parse(line) as E);
        }
      });
      res.on('end', () => resolve('end'));
      // After 'end' this changes nothing; without it, the stream was cut off.
      res.on('close', () => resolve('aborted'));
      res.on('error', () => resolve('aborted'));
    });
    req.on('error', () => {
      onStatus(0);
      resolve('aborted');
    });
    req.end();
  });
  return { events, response, status, ended, close: () => req.destroy() };
}
