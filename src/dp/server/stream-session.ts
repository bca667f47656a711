// One DP stream on the server: hello (authenticate, authorize the credential,
// let handlers refuse, register or look up the Dataplane, record the
// subscription, ack), then health reports, plugin messages and finally
// goodbye or the stream's death. Messages are handled strictly in order on
// one promise chain, so a disconnect is always recorded after its connect,
// however fast the proxy hangs up.

import { randomUUID } from 'node:crypto';
import { status, type ServerDuplexStream } from '@grpc/grpc-js';
import type { KObject } from '../../api/object.js';
import type { Logger } from '../../client/logger.js';
import type { ControlPlaneMessage, Goodbye, Hello, ProxyMessage } from '../protocol/messages.js';
import { bearerFromMetadata, type DpAuthenticator, type DpCredential } from './authenticator.js';
import { authorizeDataplane, type PodLookup } from './authorize-dataplane.js';
import { normalizeDataplane, type DataplaneRegistration } from './dataplane-registration.js';
import { DpError, invalidArgument, permissionDenied, toDpError, unauthenticated } from './dp-error.js';
import type { DpSession, DpStreamHandler } from './stream-handler.js';
import type { SubscriptionRecorder } from './subscriptions.js';

export interface StreamSessionDeps {
  authenticator: DpAuthenticator;
  registration: DataplaneRegistration;
  subscriptions: SubscriptionRecorder;
  getPod: PodLookup;
  applyHealth(namespace: string, name: string, inbounds: { port: number; ready: boolean }[]): Promise<unknown>;
  handlers(): readonly DpStreamHandler[];
  log: Logger;
  helloTimeoutMs: number;
}

export type DpCall = ServerDuplexStream<ProxyMessage | undefined, ControlPlaneMessage>;

export class StreamSession {
  private chain: Promise<void> = Promise.resolve();
  private session?: DpSession;
  private registered?: KObject;
  private goodbye?: Goodbye;
  private finished = false;
  private readonly abort = new AbortController();
  private readonly helloTimer: NodeJS.Timeout;
  /** Settles once the end of the stream has been recorded. */
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(
    private readonly call: DpCall,
    private readonly deps: StreamSessionDeps,
  ) {
    this.done = new Promise((r) => (this.resolveDone = r));
    this.helloTimer = setTimeout(() => this.enqueue(() => this.fail(invalidArgument(`no hello within ${deps.helloTimeoutMs} ms`))), deps.helloTimeoutMs);
    call.on('data', (m: ProxyMessage | undefined) => this.enqueue(() => this.handle(m)));
    call.on('end', () => this.enqueue(() => this.finish(true)));
    for (const ev of ['cancelled', 'error', 'close']) call.on(ev, () => this.enqueue(() => this.finish(false)));
  }

  /**
   * Ends the stream from the server side. `record` false leaves the
   * subscription open, as a crash would; the next instance closes it.
   */
  shutdown(record: boolean): Promise<void> {
    const err = new DpError(status.UNAVAILABLE, 'control plane shutting down');
    if (record) {
      this.enqueue(() => this.fail(err));
      return this.done;
    }
    if (!this.finished) {
      this.finished = true;
      clearTimeout(this.helloTimer);
      this.abort.abort();
      this.call.emit('error', { code: err.code, details: err.message });
      this.resolveDone();
    }
    return this.done;
  }

  private enqueue(step: () => Promise<void>): void {
    this.chain = this.chain.then(step).catch((e) => this.deps.log.error({ err: e }, 'dp stream: unexpected failure'));
  }

  private async handle(m: ProxyMessage | undefined): Promise<void> {
    if (this.finished || m === undefined) return;
    if (!this.session) {
      if (!('hello' in m)) return this.fail(invalidArgument('the first message of a DP stream must be hello'));
      try {
        return await this.hello(m.hello);
      } catch (e) {
        return this.fail(toDpError(e));
      }
    }
    const session = this.session;
    try {
      if ('hello' in m) throw invalidArgument('hello was already received on this stream');
      if ('health' in m) await this.deps.applyHealth(session.namespace, session.name, m.health.inbounds);
      let claimed = false;
      for (const h of this.deps.handlers()) if ((await h.onMessage?.(session, m)) === true) claimed = true;
      if ('csr' in m && !claimed) session.send({ error: { message: 'no identity provider issues certificates to this dataplane' } });
      if ('goodbye' in m) {
        this.goodbye = m.goodbye;
        await this.finish(true);
      }
    } catch (e) {
      this.deps.log.warn({ err: e, dataplane: `${session.namespace}/${session.name}` }, 'dp stream: message failed');
      session.send({ error: { message: toDpError(e).message } });
    }
  }

  private async hello(hello: Hello): Promise<void> {
    clearTimeout(this.helloTimer);
    const token = bearerFromMetadata(this.call.metadata.get('authorization'));
    if (!token) throw unauthenticated('missing token: expected metadata "authorization: Bearer <token>"');
    const cred = await this.deps.authenticator.authenticate(token);
    if (!cred) throw unauthenticated('invalid or expired token');
    const { namespace, name } = hello;
    if (!namespace || !name) throw invalidArgument('hello must name the dataplane (namespace and name)');
    const check = (dp: KObject) => authorizeDataplane(cred, dp, this.deps.getPod);
    // Handlers judge the Dataplane as it will stand, after the credential passed, so a
    // refused proxy neither leaves a stored Dataplane nor a subscription behind.
    const admit = async (dp: KObject) => {
      for (const h of this.deps.handlers()) await h.authorize?.(dp, cred);
    };
    let dp: KObject | undefined;
    if (hello.dataplane) {
      if (cred.kind !== 'dataplane-token') throw permissionDenied('registering a dataplane needs a dataplane token');
      const desired = normalizeDataplane(hello.dataplane, namespace, name);
      await check(desired);
      await admit(desired);
      dp = await this.deps.registration.register(desired, check);
      this.registered = dp;
    } else {
      dp = await this.deps.registration.get(namespace, name);
      if (!dp) throw new DpError(status.NOT_FOUND, `dataplane "${namespace}/${name}" not found`);
      await check(dp);
      await admit(dp);
    }
    if (this.finished) return;
    const id = randomUUID();
    await this.deps.subscriptions.connected(dp, id, hello.agentVersion);
    this.session = this.makeSession(id, namespace, name, cred, dp);
    this.deps.log.info({ dataplane: `${namespace}/${name}`, subscription: id }, 'dataplane connected');
    this.session.send({ ack: { subscriptionId: id, controlPlaneInstanceId: this.deps.subscriptions.instanceId } });
    for (const h of this.deps.handlers()) await h.onConnect?.(this.session);
  }

  private makeSession(id: string, namespace: string, name: string, credential: DpCredential, dataplane: KObject): DpSession {
    return {
      id,
      namespace,
      name,
      credential,
      dataplane,
      signal: this.abort.signal,
      send: (msg) => {
        if (!this.finished) this.call.write(msg);
      },
    };
  }

  private async fail(err: DpError): Promise<void> {
    if (this.finished) return;
    this.deps.log.info({ code: err.code, error: err.message }, 'dp stream refused or ended');
    this.call.emit('error', { code: err.code, details: err.message });
    await this.finish(false);
  }

  /** Records the end once; `graceful` ends our half of the stream with OK. */
  private async finish(graceful: boolean): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.helloTimer);
    this.abort.abort();
    const s = this.session;
    try {
      if (s) {
        await this.deps.subscriptions.disconnected(s.namespace, s.name, s.id);
        if (this.goodbye?.deleteDataplane && this.registered) await this.deps.registration.deregister(this.registered);
        this.deps.log.info({ dataplane: `${s.namespace}/${s.name}`, subscription: s.id, goodbye: !!this.goodbye }, 'dataplane disconnected');
        for (const h of this.deps.handlers()) await h.onDisconnect?.(s);
      }
    } finally {
      if (graceful) {
        try {
          this.call.end();
        } catch {
          // The peer may already be gone.
        }
      }
      this.resolveDone();
    }
  }
}
