// One raw watch connection: GET ?watch=true over HTTPS, decoded as
// newline-delimited JSON events, ending however the connection ends (server
// closed it, connection reset by a crash, refused, or an HTTP error status).

import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';

export interface RawWatchEvent {
  type: string;
  object: { metadata?: { name?: string; resourceVersion?: string }; code?: number; reason?: string; data?: Record<string, string> } & Record<string, unknown>;
}

export type WatchEnd =
  | { kind: 'closed' }
  | { kind: 'transport'; code: string }
  | { kind: 'http'; status: number; body: string }
  | { kind: 'invalid'; line: string };

export interface WatchConnection {
  ended: Promise<WatchEnd>;
  close(): void;
}

export interface WatchTarget {
  baseUrl: string;
  ca: string;
  token: string;
}

export function openWatch(target: WatchTarget, path: string, query: Record<string, string>, onEvent: (e: RawWatchEvent) => void): WatchConnection {
  const url = new URL(path, target.baseUrl);
  url.searchParams.set('watch', 'true');
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  let finish!: (e: WatchEnd) => void;
  let done = false;
  const ended = new Promise<WatchEnd>((resolve) => {
    finish = (e) => {
      if (done) return;
      done = true;
      resolve(e);
    };
  });
  // No agent: a watch holds its own connection and must never share one.
  const req = request(url, { method: 'GET', ca: target.ca, agent: false, headers: { Authorization: `Bearer ${target.token}`, Accept: 'application/json' } }, (res: IncomingMessage) => {
    if (res.statusCode !== 200) {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => finish({ kind: 'http', status: res.statusCode ?? 0, body: text }));
      res.on('error', (err: NodeJS.ErrnoException) => finish({ kind: 'transport', code: err.code ?? 'UNKNOWN' }));
      return;
    }
    let buf = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while (!done && (nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line) continue;
        let ev: RawWatchEvent;
        try {
          ev = JSON.parse(line) as RawWatchEvent;
        } catch {
          finish({ kind: 'invalid', line });
          req.destroy();
          return;
        }
        onEvent(ev);
      }
    });
    res.on('aborted', () => finish({ kind: 'transport', code: 'ECONNRESET' }));
    res.on('error', (err: NodeJS.ErrnoException) => finish({ kind: 'transport', code: err.code ?? 'UNKNOWN' }));
    res.on('end', () => finish({ kind: 'closed' }));
    res.on('close', () => finish({ kind: 'closed' }));
  });
  req.on('error', (err: NodeJS.ErrnoException) => finish({ kind: 'transport', code: err.code ?? 'UNKNOWN' }));
  req.end();
  return {
    ended,
    close: () => {
      finish({ kind: 'closed' });
      req.destroy();
    },
  };
}

/**
 * Whether a watch from `rv` is answered with 410 Expired (as an ERROR event or an
 * HTTP status). Any other first event, or silence for `quietMs`, means no.
 */
export async function watchExpired(target: WatchTarget, path: string, rv: number, quietMs = 2000): Promise<boolean> {
  let expired: boolean | undefined;
  const conn: WatchConnection = openWatch(target, path, { resourceVersion: String(rv) }, (ev) => {
    if (expired !== undefined) return;
    expired = ev.type === 'ERROR' && ev.object.code === 410;
    conn.close();
  });
  const quiet = setTimeout(() => conn.close(), quietMs);
  const end = await conn.ended;
  clearTimeout(quiet);
  return expired ?? (end.kind === 'http' && end.status === 410);
}
