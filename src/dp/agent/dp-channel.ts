// The gRPC client a proxy-side session talks through: TLS pinned to the
// control plane's CA, keepalive on. Credentials are shared per (target, CA)
// because grpc-js pools connections by equal credentials: the node agent's
// many sessions then share one HTTP/2 connection instead of one each.

import { isIP } from 'node:net';
import { checkServerIdentity } from 'node:tls';
import { Client, credentials, type ChannelCredentials } from '@grpc/grpc-js';
import { dpTarget, keepaliveChannelOptions, type KeepaliveOptions } from '../protocol/service.js';

// grpc-js sends the target host as TLS SNI, which Node deprecates for IP
// addresses (a warning on every `dp run`). For IP targets a neutral SNI name is
// sent instead and the certificate is still checked against the IP itself.
const SNI_FOR_IP = 'workplane-dp-server';

const hostOf = (target: string) => target.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');

const shared = new Map<string, ChannelCredentials>();

function channelCredentials(target: string, caPem: string): ChannelCredentials {
  const key = `${target}\n${caPem}`;
  let creds = shared.get(key);
  if (!creds) {
    const host = hostOf(target);
    creds =
      isIP(host) === 0
        ? credentials.createSsl(Buffer.from(caPem))
        : credentials.createSsl(Buffer.from(caPem), null, null, { checkServerIdentity: (_sni, cert) => checkServerIdentity(host, cert) });
    shared.set(key, creds);
  }
  return creds;
}

export function dpClient(address: string, caPem: string, keepalive: KeepaliveOptions): Client {
  const target = dpTarget(address);
  const sni = isIP(hostOf(target)) === 0 ? {} : { 'grpc.ssl_target_name_override': SNI_FOR_IP };
  return new Client(target, channelCredentials(target, caPem), { ...keepaliveChannelOptions(keepalive), ...sni });
}
