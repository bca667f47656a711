// The HTTPS endpoint a remote agent serves so the API server can answer
// `kubectl logs` for its pods: `GET /containerLogs/<ns>/<pod>/<container>`
// with the kubelet's query parameters. Callers must present a bearer token
// that `verify` accepts (the agent asks the API server with a TokenReview).
// Errors are Status objects, so the API server can pass them on unchanged.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { ApiError, invalid, methodNotAllowed, unauthorized } from '../../api/errors.js';
import { bearerToken } from '../../security/authenticator.js';
import { createCertificateAuthority } from '../../security/ca.js';
import type { CertKeyPem } from '../../security/keys.js';
import { issueServingCert } from '../../security/serving-cert.js';
import type { LogSource } from '../log-source.js';
import { parseLogQuery } from './log-query.js';
import { sendLog } from './send-log.js';
import { cachedVerifier, type CachedVerifierOptions, type TokenVerifier } from './token-verifier.js';

export interface LogServerOptions {
  source: LogSource;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Whether a bearer token may read logs; results are cached (see `cache`). */
  verify: TokenVerifier;
  cache?: CachedVerifierOptions;
  /** Serving certificate; by default a self-signed one for `host` is made. */
  tls?: CertKeyPem;
}

export interface LogServer {
  port: number;
  stop(): Promise<void>;
}

/** A throwaway certificate: the API server does not verify node serving certificates (as kube-apiserver by default). */
async function selfSigned(host: string): Promise<CertKeyPem> {
  const ca = await createCertificateAuthority({ commonName: 'workplane-agent-ca' });
  return issueServingCert(ca, [host], { commonName: 'workplane-agent' });
}

export async function startLogServer(opts: LogServerOptions): Promise<LogServer> {
  const tls = opts.tls ?? (await selfSigned(opts.host));
  const verify = cachedVerifier(opts.verify, opts.cache);
  const server: Server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    serve(req, res, opts.source, verify).catch((e) => writeStatus(res, e));
  });
  server.headersTimeout = 0;
  server.requestTimeout = 0;
  const sockets = new Set<Socket>();
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy(); // followers would otherwise keep it open
      }),
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, source: LogSource, verify: TokenVerifier): Promise<void> {
  const token = bearerToken(req.headers.authorization);
  if (token === null || !(await verify(token).catch(() => false))) throw unauthorized();
  const url = new URL(req.url ?? '/', 'https://agent');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length !== 4 || parts[0] !== 'containerLogs') throw new ApiError(404, 'NotFound', '404 page not found');
  if (req.method !== 'GET') throw methodNotAllowed(`method ${req.method} is not allowed`);
  const [, namespace, pod, container] = parts as [string, string, string, string];
  const { request, errors } = parseLogQuery(url.searchParams);
  if (errors.length) throw invalid('PodLogOptions', '', pod, errors);
  const stream = await source.logs(namespace, pod, { ...request, container });
  await sendLog(res, stream);
}

function writeStatus(res: ServerResponse, e: unknown): void {
  const err = e instanceof ApiError ? e : new ApiError(500, 'InternalError', `Internal error occurred: ${(e as Error)?.message ?? e}`);
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = JSON.stringify(err.toStatus());
  res.writeHead(err.code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

