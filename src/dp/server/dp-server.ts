// The DP server: gRPC over TLS on its own port, serving the one bidirectional
// stream every data plane proxy holds to the control plane. Before it accepts
// streams it closes the subscriptions earlier control plane instances left
// open (their streams died with them).

import { randomUUID } from 'node:crypto';
import { Server, ServerCredentials, status } from '@grpc/grpc-js';
import type { KObject } from '../../api/object.js';
import { stderrLogger, type Logger } from '../../client/logger.js';
import type { Client } from '../../client/types.js';
import { DEFAULT_KEEPALIVE, dpAddress, dpServiceDefinition, keepaliveChannelOptions, type KeepaliveOptions } from '../protocol/service.js';
import type { DpAuthenticator } from './authenticator.js';
import { DATAPLANE_GVR, DataplaneRegistration } from './dataplane-registration.js';
import { applyInboundHealth } from './inbound-health.js';
import { InsightStore } from './insight-store.js';
import type { DpStreamHandler } from './stream-handler.js';
import { StreamSession, type DpCall } from './stream-session.js';
import { SubscriptionRecorder } from './subscriptions.js';

export interface DpServerOptions {
  /** The control plane's own client (acts as the system user). */
  client: Client;
  /** Listen host; the serving certificate must name it. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Serving certificate and key; caPem is what proxies pin. */
  pki: { caPem: string; certPem: string; keyPem: string };
  authenticate: DpAuthenticator;
  /** Identifies this control plane run in subscriptions; default a fresh UUID. */
  instanceId?: string;
  log?: Logger;
  handlers?: DpStreamHandler[];
  keepalive?: KeepaliveOptions;
  /** A stream that sends no hello within this is refused (default 10 s). */
  helloTimeoutMs?: number;
}

export interface DpServer {
  readonly port: number;
  /** `grpcs://host:port`, the form published for proxies. */
  readonly address: string;
  readonly instanceId: string;
  /** The InsightStore the server writes through; handlers recording mTLS status should share it. */
  readonly insights: InsightStore;
  addHandler(h: DpStreamHandler): void;
  /** Number of streams currently open. */
  openStreams(): number;
  /**
   * Ends every stream and stops listening. By default the disconnects are
   * recorded; `abrupt` skips that, leaving what a crash leaves (tests).
   */
  stop(opts?: { abrupt?: boolean }): Promise<void>;
}

export async function startDpServer(opts: DpServerOptions): Promise<DpServer> {
  const log = opts.log ?? stderrLogger;
  const instanceId = opts.instanceId ?? randomUUID();
  const insights = new InsightStore(opts.client);
  const subscriptions = new SubscriptionRecorder(insights, instanceId);
  const closed = await subscriptions.closeStale();
  if (closed > 0) log.info({ insights: closed }, 'closed subscriptions left open by earlier control plane instances');

  const handlers = [...(opts.handlers ?? [])];
  const dataplanes = opts.client.resource(DATAPLANE_GVR);
  const pods = opts.client.resource({ group: '', version: 'v1', resource: 'pods' });
  const sessions = new Set<StreamSession>();
  let stopping = false;
  const deps = {
    authenticator: opts.authenticate,
    registration: new DataplaneRegistration(opts.client),
    subscriptions,
    getPod: (ns: string, name: string): Promise<KObject | undefined> => pods.get(ns, name),
    applyHealth: (ns: string, name: string, inbounds: { port: number; ready: boolean }[]) => applyInboundHealth(dataplanes, ns, name, inbounds),
    handlers: () => handlers,
    log,
    helloTimeoutMs: opts.helloTimeoutMs ?? 10_000,
  };

  const server = new Server(keepaliveChannelOptions(opts.keepalive ?? DEFAULT_KEEPALIVE));
  server.addService(dpServiceDefinition, {
    Stream: (call: DpCall) => {
      // Refused outright while stopping: a proxy reconnecting that fast must not land on a closing instance.
      if (stopping) return void call.emit('error', { code: status.UNAVAILABLE, details: 'control plane shutting down' });
      const s = new StreamSession(call, deps);
      sessions.add(s);
      void s.done.then(() => sessions.delete(s));
    },
  });
  const creds = ServerCredentials.createSsl(null, [{ private_key: Buffer.from(opts.pki.keyPem), cert_chain: Buffer.from(opts.pki.certPem) }], false);
  const bindHost = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${bindHost}:${opts.port}`, creds, (err, p) => (err ? reject(err) : resolve(p))),
  );
  log.info({ address: dpAddress(opts.host, port), instanceId }, 'DP server listening');

  return {
    port,
    address: dpAddress(opts.host, port),
    instanceId,
    insights,
    addHandler: (h) => void handlers.push(h),
    openStreams: () => sessions.size,
    async stop(stopOpts = {}) {
      stopping = true;
      await Promise.all([...sessions].map((s) => s.shutdown(!stopOpts.abrupt)));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, stopOpts.abrupt ? 0 : 2000);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
