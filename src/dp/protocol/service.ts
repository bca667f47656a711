// The gRPC service both ends share: one bidirectional method, its codecs, the
// keepalive settings that make a dead peer visible within seconds, and the
// `grpcs://host:port` address form the control plane publishes.

import type { ServiceDefinition } from '@grpc/grpc-js';
import { decodeControlPlaneMessage, decodeProxyMessage, encodeControlPlaneMessage, encodeProxyMessage } from './codec.js';
import type { ControlPlaneMessage, ProxyMessage } from './messages.js';

export const DP_SERVICE_NAME = 'workplane.dp.v1.DataplaneService';

/** Decoded messages are undefined for variants this build does not know. */
export const dpServiceDefinition = {
  Stream: {
    path: `/${DP_SERVICE_NAME}/Stream`,
    requestStream: true,
    responseStream: true,
    requestSerialize: (m: ProxyMessage) => encodeProxyMessage(m),
    requestDeserialize: (b: Buffer) => decodeProxyMessage(b),
    responseSerialize: (m: ControlPlaneMessage) => encodeControlPlaneMessage(m),
    responseDeserialize: (b: Buffer) => decodeControlPlaneMessage(b),
  },
} satisfies ServiceDefinition;

export interface KeepaliveOptions {
  /** Ping the peer after this long without traffic. */
  timeMs: number;
  /** Declare the connection dead when a ping is not answered within this. */
  timeoutMs: number;
}

/** A crashed or cut-off peer is noticed within about timeMs + timeoutMs. */
export const DEFAULT_KEEPALIVE: KeepaliveOptions = { timeMs: 3000, timeoutMs: 3000 };

export function keepaliveChannelOptions(k: KeepaliveOptions): Record<string, number> {
  return {
    'grpc.keepalive_time_ms': k.timeMs,
    'grpc.keepalive_timeout_ms': k.timeoutMs,
    'grpc.keepalive_permit_without_calls': 1,
  };
}

export const DP_ADDRESS_SCHEME = 'grpcs:';

/** `grpcs://127.0.0.1:5678` (or a bare `host:port`) → the gRPC target `127.0.0.1:5678`. */
export function dpTarget(address: string): string {
  if (!address.includes('://')) return address;
  const u = new URL(address);
  if (u.protocol !== DP_ADDRESS_SCHEME) throw new Error(`DP server address must use ${DP_ADDRESS_SCHEME}//, got "${address}"`);
  if (!u.port) throw new Error(`DP server address has no port: "${address}"`);
  return `${u.hostname}:${u.port}`;
}

export function dpAddress(host: string, port: number): string {
  return `${DP_ADDRESS_SCHEME}//${host.includes(':') ? `[${host}]` : host}:${port}`;
}
