// The gRPC client a proxy-side session talks through: TLS pinned to the
// cluster CA the proxy was given (never one read from the API), the server
// certificate checked for the dialed host and for being the control plane's
// own (CN workplane-apiserver), not merely any certificate the cluster CA
// signed, such as a node's serving certificate; keepalive on. Credentials are shared per (target, CA)
// because grpc-js pools connections by equal credentials: the node agent's
// many sessions then share one HTTP/2 connection instead of one each.

import { isIP } from 'node:net';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { CONTROL_PLANE_SERVING_CN } from '../../security/serving-cert.js';
import { Client, credentials, type ChannelCredentials } from '@grpc/grpc-js';
import { dpTarget, keepaliveChannelOptions, type KeepaliveOptions } from '../protocol/service.js';

// grpc-js sends the target host as TLS SNI, which Node deprecates for IP
// addresses (a warning on every `dp run`). For IP targets a neutral SNI name is
// sent instead and the certificate is still checked against the IP itself.
const SNI_FOR_IP = 'workplane-dp-server';

const hostOf = (target: string) => target.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');

const shared = new Map<string, ChannelCredentials>();

/** The DP server's certificate must cover `host` and be the control plane's. */
export function controlPlaneIdentity(host: string, cert: PeerCertificate): Error | undefined {
  const err = checkServerIdentity(host, cert);
  if (err) return err;
  const cn = cert.subject?.CN;
  if (cn !== CONTROL_PLANE_SERVING_CN) return new Error(`x509: certificate is for ${JSON.stringify(cn ?? '')}, not the control plane (${CONTROL_PLANE_SERVING_CN})`);
  return undefined;
}

function channelCredentials(target: string, caPem: string): ChannelCredentials {
  const key = `${target}\n${caPem}`;
  let creds = shared.get(key);
  if (!creds) {
    const host = hostOf(target);
    creds = credentials.createSsl(Buffer.from(caPem), null, null, { checkServerIdentity: (_sni, cert) => controlPlaneIdentity(host, cert) });
    shared.set(key, creds);
  }
  return creds;
}

export function dpClient(address: string, caPem: string, keepalive: KeepaliveOptions): Client {
  const target = dpTarget(address);
  const sni = isIP(hostOf(target)) === 0 ? {} : { 'grpc.ssl_target_name_override': SNI_FOR_IP };
  return new Client(target, channelCredentials(target, caPem), { ...keepaliveChannelOptions(keepalive), ...sni });
}
