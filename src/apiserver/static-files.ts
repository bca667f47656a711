// Serves a directory of built front-end files (the web console) on the API
// server's port, without credentials: the files hold no data, and every API
// call the page then makes carries the user's own token. Only regular files
// inside the directory can be reached; names with a content hash are cached
// for good, everything else is revalidated (ETag) on every load.

import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ApiError, badRequest } from '../api/errors.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.map', '.json', '.svg', '.txt']);

/** esbuild's `[name]-[hash]` names: the content decides the name, so the file never changes under it. */
const HASHED_NAME = /-[A-Z0-9]{8,}\.[a-z0-9]+$/;

/** The page may talk to its own origin only, and run only its own script and styles. */
const PAGE_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

interface CachedFile {
  mtimeMs: number;
  size: number;
  body: Buffer;
  gzip?: Buffer;
  etag: string;
}

export interface StaticFilesOptions {
  /** Directory holding the files. */
  root: string;
  /** URL path it is served under, without a trailing slash (`/console`). */
  prefix: string;
  /** Said in the 404 when the directory does not exist (e.g. how to build it). */
  missingHint?: string;
}

export class StaticFiles {
  private readonly cache = new Map<string, CachedFile>();

  constructor(private readonly opts: StaticFilesOptions) {}

  /** True for the prefix itself and everything under it. */
  owns(pathname: string): boolean {
    return pathname === this.opts.prefix || pathname.startsWith(`${this.opts.prefix}/`);
  }

  serve(req: IncomingMessage, res: ServerResponse, pathname: string): void {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      throw new ApiError(405, 'MethodNotAllowed', `${method} is not allowed on ${this.opts.prefix}: its files can only be read`);
    }
    const file = this.resolve(pathname);
    const f = this.load(file);
    const ext = extname(file);
    const headers: Record<string, string | number> = {
      'Content-Type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
      'Cache-Control': HASHED_NAME.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
      ETag: f.etag,
      'X-Content-Type-Options': 'nosniff',
      ...(ext === '.html' ? PAGE_HEADERS : {}),
    };
    if (f.gzip) headers.Vary = 'Accept-Encoding';
    if (etagMatches(req.headers['if-none-match'], f.etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const gzip = f.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? f.gzip! : f.body;
    if (gzip) headers['Content-Encoding'] = 'gzip';
    headers['Content-Length'] = body.length;
    res.writeHead(200, headers);
    res.end(method === 'HEAD' ? undefined : body);
  }

  /** The file a URL path names; anything that could leave the root, or name a hidden file, is refused. */
  private resolve(pathname: string): string {
    let rel = pathname.slice(this.opts.prefix.length);
    if (rel === '' || rel === '/') rel = '/index.html';
    let decoded: string;
    try {
      decoded = decodeURIComponent(rel);
    } catch {
      throw badRequest(`invalid URL path: ${pathname}`);
    }
    const segments = decoded.split('/').slice(1);
    if (segments.some((s) => s === '' || s.startsWith('.') || s.includes('\\') || s.includes('\0'))) throw notFound();
    const root = this.root();
    const file = join(root, ...segments);
    if (!file.startsWith(root + sep)) throw notFound();
    let real: string;
    try {
      real = realpathSync(file);
    } catch {
      throw notFound();
    }
    // A symlink inside the root must not lead out of it.
    if (!real.startsWith(root + sep)) throw notFound();
    return real;
  }

  private root(): string {
    try {
      return realpathSync(this.opts.root);
    } catch {
      throw new ApiError(404, 'NotFound', `${this.opts.prefix} is not available: ${this.opts.missingHint ?? `${this.opts.root} does not exist`}`);
    }
  }

  private load(file: string): CachedFile {
    const st = statSync(file, { throwIfNoEntry: false });
    if (!st?.isFile()) throw notFound();
    const hit = this.cache.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit;
    const body = readFileSync(file);
    const f: CachedFile = {
      mtimeMs: st.mtimeMs,
      size: st.size,
      body,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      ...(COMPRESSIBLE.has(extname(file)) && body.length > 1024 ? { gzip: gzipSync(body) } : {}),
    };
    this.cache.set(file, f);
    return f;
  }

}

// kube's own wording; never the file system path.
const notFound = () => new ApiError(404, 'NotFound', 'the server could not find the requested resource');

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const v = t.trim();
    return v === '*' || v === etag || v === `W/${etag}`;
  });
}
