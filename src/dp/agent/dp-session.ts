// The proxy's end of a DP stream, for `workplane dp run` and the node agent
// (one session per meshed pod). openDpSession resolves once the control plane
// has accepted the first hello, or rejects with its refusal verbatim. After
// that the session keeps itself connected: when the stream breaks (control
// plane restart, network) it reconnects with backoff, says hello again and
// repeats the last health report, until close() or a refusal that retrying
// cannot fix.

import { Metadata, status, type Client, type ClientDuplexStream, type ServiceError } from '@grpc/grpc-js';
import type { KObject } from '../../api/object.js';
import { silentLogger, type Logger } from '../../client/logger.js';
import type { ControlPlaneMessage, Hello, InboundHealth, ProxyMessage } from '../protocol/messages.js';
import { DEFAULT_KEEPALIVE, dpServiceDefinition, type KeepaliveOptions } from '../protocol/service.js';
import { dpClient } from './dp-channel.js';
import { Backoff } from './backoff.js';

export type DataplaneRef = { namespace: string; name: string };

export interface DpSessionOptions {
  /** `grpcs://host:port` or `host:port`. */
  address: string;
  /** CA that signed the DP server's certificate. */
  caPem: string;
  /** The bearer token, or a function returning a current one (called on every connect). */
  token: string | (() => string | Promise<string>);
  /** An existing Dataplane by name, or a Dataplane object to register (metadata.namespace set). */
  dataplane: DataplaneRef | KObject;
  onMessage?(msg: ControlPlaneMessage): void;
  /** `connected` after each accepted hello; `disconnected` when a stream breaks; `closed` once, at the end. */
  onStateChange?(state: 'connected' | 'disconnected' | 'closed', err?: Error): void;
  log?: Logger;
  keepalive?: KeepaliveOptions;
  agentVersion?: string;
}

export interface DpSessionHandle {
  /** The subscription id of the current stream. */
  readonly subscriptionId: string;
  /** Reports inbound readiness now (when connected) and after every reconnect. */
  reportHealth(inbounds: InboundHealth[]): void;
  /** Sends any message on the current stream (certificate requests later); false when not connected. */
  send(msg: ProxyMessage): boolean;
  /**
   * Ends the session and waits until the control plane has recorded it.
   * With goodbye, a Dataplane this session registered is deleted.
   */
  close(goodbye: boolean): Promise<void>;
  /** Settles when the session ends for good: undefined after close(), the error after a fatal refusal. */
  readonly closed: Promise<Error | undefined>;
}

/** A refusal or failure from the DP server, with its gRPC code. */
export class DpSessionError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
    this.name = 'DpSessionError';
  }

  /** Retrying the same hello with the same token cannot succeed. */
  get fatal(): boolean {
    return this.code === status.UNAUTHENTICATED || this.code === status.PERMISSION_DENIED || this.code === status.INVALID_ARGUMENT;
  }
}

const asSessionError = (e: ServiceError | Error): DpSessionError =>
  e instanceof DpSessionError ? e : new DpSessionError((e as ServiceError).code ?? status.UNKNOWN, (e as ServiceError).details || e.message);

type Call = ClientDuplexStream<ProxyMessage, ControlPlaneMessage | undefined>;

export async function openDpSession(opts: DpSessionOptions): Promise<DpSessionHandle> {
  const s = new AgentSession(opts);
  try {
    await s.connect();
  } catch (e) {
    s.dispose();
    throw e;
  }
  return s;
}

class AgentSession implements DpSessionHandle {
  subscriptionId = '';
  readonly closed: Promise<Error | undefined>;
  private resolveClosed!: (e: Error | undefined) => void;
  private readonly client: Client;
  private readonly hello: Hello;
  private readonly log: Logger;
  private readonly backoff = new Backoff();
  private call?: Call;
  private acked = false;
  private health?: InboundHealth[];
  private ending = false;
  private retryTimer?: NodeJS.Timeout;

  constructor(private readonly opts: DpSessionOptions) {
    this.closed = new Promise((r) => (this.resolveClosed = r));
    this.log = opts.log ?? silentLogger;
    this.hello = helloFor(opts.dataplane, opts.agentVersion);
    this.client = dpClient(opts.address, opts.caPem, opts.keepalive ?? DEFAULT_KEEPALIVE);
  }

  /** One stream: resolves on ack, rejects on refusal or failure before it. */
  async connect(): Promise<void> {
    const token = typeof this.opts.token === 'string' ? this.opts.token : await this.opts.token();
    const md = new Metadata();
    md.set('authorization', `Bearer ${token}`);
    const { path, requestSerialize, responseDeserialize } = dpServiceDefinition.Stream;
    const call: Call = this.client.makeBidiStreamRequest(path, requestSerialize, responseDeserialize, md);
    this.call = call;
    this.acked = false;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (e: Error) => {
        if (!settled) {
          settled = true;
          this.call = undefined;
          reject(asSessionError(e));
        } else this.streamEnded(call, e);
      };
      call.on('data', (m: ControlPlaneMessage | undefined) => {
        if (!m) return;
        if ('ack' in m && !settled) {
          settled = true;
          this.acked = true;
          this.subscriptionId = m.ack.subscriptionId;
          this.backoff.reset();
          if (this.health) call.write({ health: { inbounds: this.health } });
          this.opts.onStateChange?.('connected');
          resolve();
        }
        this.opts.onMessage?.(m);
      });
      call.on('error', (e: ServiceError) => fail(e));
      // The server ended the stream with OK (after goodbye, or its own shutdown).
      call.on('status', (st: { code: status; details: string }) => {
        if (st.code === status.OK) fail(new DpSessionError(status.UNAVAILABLE, 'stream ended by the control plane'));
      });
      call.write({ hello: this.hello });
    });
  }

  reportHealth(inbounds: InboundHealth[]): void {
    this.health = inbounds.map((i) => ({ port: i.port, ready: i.ready }));
    this.send({ health: { inbounds: this.health } });
  }

  send(msg: ProxyMessage): boolean {
    if (!this.call || !this.acked || this.ending) return false;
    this.call.write(msg);
    return true;
  }

  async close(goodbye: boolean): Promise<void> {
    if (this.ending) {
      await this.closed;
      return;
    }
    this.ending = true;
    clearTimeout(this.retryTimer);
    const call = this.call;
    if (call && this.acked) {
      const ended = new Promise<void>((r) => {
        call.once('status', () => r());
        call.once('error', () => r());
      });
      if (goodbye) call.write({ goodbye: { deleteDataplane: this.hello.dataplane !== undefined } });
      call.end();
      const timer = setTimeout(() => call.cancel(), 5000);
      await ended;
      clearTimeout(timer);
    } else call?.cancel();
    this.finish(undefined);
  }

  /** Releases the channel of a session that never connected. */
  dispose(): void {
    this.ending = true;
    this.client.close();
  }

  private finish(err: Error | undefined): void {
    this.call = undefined;
    this.client.close();
    this.opts.onStateChange?.('closed', err);
    this.resolveClosed(err);
  }

  /** The accepted stream broke: reconnect unless closing. */
  private streamEnded(call: Call, e: Error): void {
    if (this.call !== call || this.ending) return;
    this.call = undefined;
    this.acked = false;
    this.log.warn({ err: e }, 'DP stream lost; reconnecting');
    this.opts.onStateChange?.('disconnected', e);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.ending) return;
    this.retryTimer = setTimeout(() => {
      this.connect().catch((e: DpSessionError) => {
        if (this.ending) return;
        if (e.fatal) {
          this.log.error({ err: e }, 'DP server refused the dataplane');
          this.ending = true;
          this.finish(e);
          return;
        }
        this.log.debug({ err: e }, 'DP reconnect failed');
        this.scheduleReconnect();
      });
    }, this.backoff.next());
  }
}

function helloFor(dp: DataplaneRef | KObject, agentVersion?: string): Hello {
  if (!('metadata' in dp)) return { namespace: dp.namespace, name: dp.name, ...(agentVersion ? { agentVersion } : {}) };
  const { namespace, name } = dp.metadata as { namespace?: string; name?: string };
  if (!namespace || !name) throw new Error('dataplane: metadata.namespace and metadata.name are required');
  return { namespace, name, dataplane: dp as KObject, ...(agentVersion ? { agentVersion } : {}) };
}
