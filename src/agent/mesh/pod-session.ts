// One meshed pod's DP stream, held by the node agent in place of the pod's
// proxy: a renewing ServiceAccount token, the session to the DP server (which
// reconnects by itself; every session of the agent shares one HTTP/2
// connection), and the last health reported so repeats cost nothing.
// close() hangs up without goodbye: the pod's Dataplane is the control
// plane's to delete, with the pod.

import type { KObject } from '../../api/object.js';
import type { Logger } from '../../client/logger.js';
import { openDpSession, type DpSessionHandle, type DpSessionOptions } from '../../dp/agent/dp-session.js';
import type { ControlPlaneMessage, InboundHealth, ProxyMessage } from '../../dp/protocol/messages.js';
import type { KeepaliveOptions } from '../../dp/protocol/service.js';
import type { DpServerTarget } from './dp-server-watch.js';
import type { PodTokenSource } from './pod-token-source.js';
import { RenewingToken, type Scheduler } from './renewing-token.js';

export type OpenSession = (opts: DpSessionOptions) => Promise<DpSessionHandle>;

/**
 * What a feature speaking over a pod's stream plugs in (identity's
 * identitySessionHooks has this shape): messages and state changes as the
 * session reports them, and the live session once it is accepted.
 */
export interface PodSessionHooks {
  onMessage?(msg: ControlPlaneMessage): void;
  onStateChange?(state: 'connected' | 'disconnected' | 'closed', err?: Error): void;
  attach?(session: { send(msg: ProxyMessage): boolean }): void;
  /** Once the session has ended for good (closed, refused, or never opened): release what the hooks hold. */
  close?(): Promise<void>;
}

export interface PodSessionDeps {
  tokens: PodTokenSource;
  log: Logger;
  keepalive?: KeepaliveOptions;
  agentVersion?: string;
  /** Hooks for one pod's session, if any. */
  hooks?(pod: KObject): PodSessionHooks | undefined;
  /** Called once if the DP server refuses the pod for good while reconnecting. */
  onLost(err: Error): void;
  /** Tests replace the DP library's session and the token timers. */
  open?: OpenSession;
  schedule?: Scheduler;
}

export class PodSession {
  private lastHealth = '';
  private closing = false;
  /** Settles after the session ended and its hooks were released. */
  private ended: Promise<void> = Promise.resolve();

  private constructor(
    readonly uid: string,
    readonly target: DpServerTarget,
    private readonly handle: DpSessionHandle,
    private readonly token: RenewingToken,
  ) {}

  /** Resolves once the DP server has accepted the pod's hello. */
  static async open(pod: KObject, target: DpServerTarget, deps: PodSessionDeps): Promise<PodSession> {
    const { namespace, name, uid } = pod.metadata;
    const token = new RenewingToken({ source: deps.tokens, pod, log: deps.log, schedule: deps.schedule });
    const hooks = deps.hooks?.(pod);
    let handle: DpSessionHandle;
    try {
      // Fetched first so a token failure is reported as such, not as a connection failure.
      await token.get();
      handle = await (deps.open ?? openDpSession)({
        address: target.address,
        caPem: target.caPem,
        token: () => token.get(),
        dataplane: { namespace: namespace!, name: name! },
        log: deps.log,
        keepalive: deps.keepalive,
        agentVersion: deps.agentVersion,
        onMessage: hooks?.onMessage,
        onStateChange: hooks?.onStateChange,
      });
    } catch (e) {
      token.stop();
      await releaseHooks(hooks, deps.log);
      throw e;
    }
    const s = new PodSession(uid!, target, handle, token);
    hooks?.attach?.(handle);
    s.ended = handle.closed.then(async (err) => {
      token.stop();
      if (err && !s.closing) deps.onLost(err);
      await releaseHooks(hooks, deps.log);
    });
    return s;
  }

  /** Sends the inbounds' health when it differs from the last report. */
  report(health: InboundHealth[]): void {
    const key = JSON.stringify(health);
    if (key === this.lastHealth) return;
    this.lastHealth = key;
    this.handle.reportHealth(health);
  }

  /** Settles once the session has ended and its hooks were released (after close() or a refusal). */
  whenEnded(): Promise<void> {
    return this.ended;
  }

  async close(): Promise<void> {
    this.closing = true;
    this.token.stop();
    await this.handle.close(false);
    await this.ended;
  }
}

async function releaseHooks(hooks: PodSessionHooks | undefined, log: Logger): Promise<void> {
  try {
    await hooks?.close?.();
  } catch (err) {
    log.warn({ err }, 'mesh: releasing a pod session\'s hooks failed');
  }
}
