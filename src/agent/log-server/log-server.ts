// The HTTPS endpoint a remote agent serves so the API server can answer
// `kubectl logs` for its pods: `GET /containerLogs/<ns>/<pod>/<container>`
// with the kubelet's query parameters. Both sides prove themselves with
// certificates from the cluster CA: the agent serves each node's kubelet
// serving certificate (chosen by SNI, the node's name), and the caller must
// present the API server's kubelet client certificate (CN
// workplane:apiserver-kubelet-client). Nothing else, and no bearer token, is
// accepted. Errors are Status objects, so the API server can pass them on.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import { ApiError, forbidden, invalid, methodNotAllowed, unauthorized } from '../../api/errors.js';
import type { CertKeyPem } from '../../security/keys.js';
import type { LogSource } from '../log-source.js';
import { APISERVER_KUBELET_CLIENT } from '../../authz/node-identity.js';
import { parseLogQuery } from './log-query.js';
import { sendLog } from './send-log.js';

/** The only client a log server answers: the API server's certificate for talking to nodes. */
export { APISERVER_KUBELET_CLIENT };

export interface LogServerOptions {
  source: LogSource;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** The cluster CA: callers' client certificates must chain to it. */
  clientCaPem: string;
  /** Serving certificate per node name (SNI); the first is served when the client names none. */
  certificates: Map<string, CertKeyPem>;
  /** The client certificate CN accepted (default APISERVER_KUBELET_CLIENT). */
  allowedClient?: string;
}

export interface LogServer {
  port: number;
  stop(): Promise<void>;
}

export async function startLogServer(opts: LogServerOptions): Promise<LogServer> {
  const contexts = new Map<string, SecureContext>();
  // Each context carries the client CA too: the one SNI picks is the one that verifies the caller.
  for (const [node, pair] of opts.certificates) contexts.set(node, createSecureContext({ cert: pair.certPem, key: pair.keyPem, ca: opts.clientCaPem }));
  const first = opts.certificates.values().next().value as CertKeyPem | undefined;
  if (!first) throw new Error('log server: no serving certificate');
  const server: Server = createServer(
    {
      cert: first.certPem,
      key: first.keyPem,
      SNICallback: (name, cb) => cb(null, contexts.get(name) ?? contexts.values().next().value),
      ca: opts.clientCaPem,
      requestCert: true,
      // Checked per request below, so a refused caller gets a Status rather than a failed handshake.
      rejectUnauthorized: false,
    },
    (req, res) => {
      serve(req, res, opts.source, opts.allowedClient ?? APISERVER_KUBELET_CLIENT).catch((e) => writeStatus(res, e));
    },
  );
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

/** Throws 401 without a client certificate from the cluster CA, 403 for any other client than `allowed`. */
function checkCaller(req: IncomingMessage, allowed: string): void {
  const socket = req.socket as TLSSocket;
  const cert = socket.getPeerX509Certificate?.();
  if (!cert || !socket.authorized) throw unauthorized();
  const cn = cert.subject.split('\n').find((l) => l.startsWith('CN='))?.slice(3);
  const clientAuth = (cert.keyUsage ?? []).includes('1.3.6.1.5.5.7.3.2');
  if (cn !== allowed || !clientAuth) throw forbidden(`Forbidden (user=${cn ?? ''}, verb=get, resource=nodes, subresource=log)`);
}

async function serve(req: IncomingMessage, res: ServerResponse, source: LogSource, allowed: string): Promise<void> {
  checkCaller(req, allowed);
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
