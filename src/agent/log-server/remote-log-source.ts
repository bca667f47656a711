// A LogSource that reads from a remote agent's log server over HTTPS: what
// the API server uses for nodes not served in its own process. Whatever
// address a Node's status names, the agent there must prove it is that node:
// its serving certificate must chain to the cluster CA, cover the address
// dialed, and name `system:node:<node>`. The API server proves itself with a
// client certificate good for node log endpoints only; no bearer token is sent.

import { request, type RequestOptions } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import type { CertKeyPem } from '../../security/keys.js';
import type { Readable } from 'node:stream';
import { ApiError, badRequest, internalError, type StatusReason } from '../../api/errors.js';
import type { LogRequest, LogSource } from '../log-source.js';
import { logQueryString } from './log-query.js';

export interface RemoteLogSourceOptions {
  host: string;
  port: number;
  /** The Node the pod is bound to: its serving certificate must be `system:node:<nodeName>`. */
  nodeName: string;
  /** The cluster CA, which signed every node's serving certificate. */
  caPem: string;
  /** The API server's client certificate for node endpoints. */
  clientCertificate: () => Promise<CertKeyPem>;
  /** Until the agent answers. Default 10 s. */
  connectTimeoutMs?: number;
}

const MAX_ERROR_BODY = 64 * 1024;

export function remoteLogSource(opts: RemoteLogSourceOptions): LogSource {
  return {
    async logs(namespace: string, podName: string, r: LogRequest): Promise<Readable> {
      const container = r.container ?? '';
      const path = `/containerLogs/${[namespace, podName, container].map(encodeURIComponent).join('/')}${logQueryString(r)}`;
      const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
      const url = `https://${host}:${opts.port}${path}`;
      const client = await opts.clientCertificate();
      const options: RequestOptions = {
        host: opts.host,
        port: opts.port,
        path,
        method: 'GET',
        headers: { Accept: 'text/plain' },
        ca: opts.caPem,
        cert: client.certPem,
        key: client.keyPem,
        rejectUnauthorized: true,
        // SNI picks the node's certificate on an agent serving several nodes.
        servername: opts.nodeName,
        checkServerIdentity: (_sni, cert) => nodeServerIdentity(opts.host, opts.nodeName, cert),
        agent: false,
      };
      const res = await new Promise<IncomingMessage>((resolve, reject) => {
        const req = request(options, resolve);
        req.setTimeout(opts.connectTimeoutMs ?? 10_000, () => req.destroy(new Error('timeout awaiting response headers')));
        req.once('response', () => req.setTimeout(0));
        req.on('error', (e) => reject(internalError(`Get "${url}": ${e.message}`)));
        req.end();
      });
      if (res.statusCode === 200) return res;
      throw await responseError(res, podName);
    },
  };
}

/** The certificate must cover the address dialed and belong to the node the pod is bound to. */
export function nodeServerIdentity(host: string, nodeName: string, cert: PeerCertificate): Error | undefined {
  const hostError = checkServerIdentity(host, cert);
  if (hostError) return hostError;
  const cn = cert.subject?.CN;
  const expected = `system:node:${nodeName}`;
  if (cn !== expected) return new Error(`x509: certificate is for ${JSON.stringify(cn ?? '')}, not node ${JSON.stringify(expected)}`);
  return undefined;
}

/** The agent's Status when it sent one; otherwise kube-apiserver's reading of a bare kubelet error. */
async function responseError(res: IncomingMessage, podName: string): Promise<ApiError> {
  let body = '';
  for await (const chunk of res) {
    if (body.length < MAX_ERROR_BODY) body += String(chunk);
  }
  const code = res.statusCode ?? 500;
  try {
    const s = JSON.parse(body) as { kind?: string; code?: number; reason?: StatusReason; message?: string; details?: ApiError['details'] };
    if (s.kind === 'Status' && s.reason && typeof s.message === 'string') return new ApiError(s.code ?? code, s.reason, s.message, s.details);
  } catch {
    /* not a Status */
  }
  body = body.trim();
  if (code === 400) return badRequest(body);
  if (code === 404) return new ApiError(404, 'NotFound', 'the server could not find the requested resource', { name: podName, kind: 'pods/log' });
  if (code === 401 || code === 403) return new ApiError(code, code === 401 ? 'Unauthorized' : 'Forbidden', body || 'Unauthorized');
  return internalError(body || `the server responded with the status code ${code} but did not return more information`);
}
