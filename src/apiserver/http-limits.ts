// Connection-level limits of the HTTPS front, modelled on kube-apiserver's
// secure serving (ReadHeaderTimeout 32 s, IdleTimeout 90 s, 1 MiB of
// headers): a client that trickles its headers or its body, or holds an idle
// connection, is cut off instead of pinning a socket forever. Node's
// requestTimeout only covers receiving the request; a watch whose request has
// arrived streams for as long as it likes.

import type { Server } from 'node:https';
import { DEFAULT_WATCH_LIMITS, type WatchStreamLimits } from './watch-stream.js';

export interface HttpLimits extends WatchStreamLimits {
  /** Time allowed to receive a request's headers (node's headersTimeout). */
  headersTimeoutMs: number;
  /** Time allowed to receive a whole request, body included (node's requestTimeout). */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long. */
  keepAliveTimeoutMs: number;
  /** How often node checks connections against the two timeouts above. */
  checkIntervalMs: number;
  /** Largest request head (request line and headers) accepted. */
  maxHeaderBytes: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 32_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 90_000,
  checkIntervalMs: 2_000,
  maxHeaderBytes: 1024 * 1024,
  ...DEFAULT_WATCH_LIMITS,
};

/** Options for `https.createServer` that must be set at construction. */
export const serverConstructionOptions = (l: HttpLimits) => ({
  keepAliveTimeout: l.keepAliveTimeoutMs,
  connectionsCheckingInterval: l.checkIntervalMs,
  maxHeaderSize: l.maxHeaderBytes,
  requestTimeout: l.requestTimeoutMs,
  headersTimeout: l.headersTimeoutMs,
});

/** Applies the limits to a created server (also those node reads from properties). */
export function applyHttpLimits(server: Server, l: HttpLimits): void {
  server.headersTimeout = l.headersTimeoutMs;
  server.requestTimeout = l.requestTimeoutMs;
  server.keepAliveTimeout = l.keepAliveTimeoutMs;
}
