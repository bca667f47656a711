// What `workplane dp run` does once it knows its Dataplane, token and DP
// server: connect (retrying while the control plane is unreachable, giving up
// on a refusal), probe the inbounds every few seconds and report changes, and
// on stop say goodbye so the control plane deletes the Dataplane. Features
// that talk over the stream (identity) plug in through the session hooks.

import type { KObject } from '../../api/object.js';
import { silentLogger, type Logger } from '../../client/logger.js';
import type { ControlPlaneMessage, InboundHealth } from '../protocol/messages.js';
import type { KeepaliveOptions } from '../protocol/service.js';
import { Backoff } from './backoff.js';
import { DpSessionError, openDpSession, type DpSessionHandle } from './dp-session.js';
import { probeInbounds, probeTargets } from './inbound-probe.js';

export interface DataplaneRunnerOptions {
  dataplane: KObject;
  address: string;
  caPem: string;
  token: string;
  /** Stops the runner: goodbye, Dataplane deleted. */
  signal: AbortSignal;
  probeIntervalMs?: number;
  keepalive?: KeepaliveOptions;
  log?: Logger;
  agentVersion?: string;
  /** Called after every accepted hello with the subscription id. */
  onConnected?(subscriptionId: string): void;
  /** Every message from the control plane (the ack included), as openDpSession passes them. */
  onMessage?(msg: ControlPlaneMessage): void;
  /** The session's state changes, as openDpSession reports them (the first `connected` comes before onSession). */
  onStateChange?(state: 'connected' | 'disconnected' | 'closed', err?: Error): void;
  /** Once, when the first hello was accepted: the live session, to send on (it reconnects by itself). */
  onSession?(session: DpSessionHandle): void;
}

/** Resolves after a clean stop; rejects when the control plane refuses the Dataplane. */
export async function runDataplane(opts: DataplaneRunnerOptions): Promise<void> {
  const log = opts.log ?? silentLogger;
  let session: DpSessionHandle | undefined;
  const backoff = new Backoff(200, 5000);
  while (!session) {
    if (opts.signal.aborted) return;
    try {
      session = await openDpSession({
        address: opts.address,
        caPem: opts.caPem,
        token: opts.token,
        dataplane: opts.dataplane,
        log,
        keepalive: opts.keepalive,
        agentVersion: opts.agentVersion,
        onMessage: opts.onMessage,
        onStateChange: (state, err) => {
          if (state === 'connected' && session) opts.onConnected?.(session.subscriptionId);
          opts.onStateChange?.(state, err);
        },
      });
    } catch (e) {
      if (e instanceof DpSessionError && e.fatal) throw e;
      log.warn({ err: e }, 'cannot reach the DP server; retrying');
      await sleep(backoff.next(), opts.signal);
    }
  }
  opts.onSession?.(session);
  opts.onConnected?.(session.subscriptionId);

  const targets = probeTargets(opts.dataplane);
  let last = '';
  const probe = async () => {
    const health: InboundHealth[] = await probeInbounds(targets);
    const key = JSON.stringify(health);
    if (key !== last) {
      last = key;
      session.reportHealth(health);
    }
  };
  // Timer-driven rather than a loop of Promise.race: racing the same long-lived
  // promises every tick would pile up reactions on them for the proxy's lifetime.
  const result = await new Promise<Error | undefined>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const finish = (e?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(e);
    };
    const tick = async () => {
      if (targets.length > 0) await probe().catch((e) => log.warn({ err: e }, 'probe failed'));
      if (!done) timer = setTimeout(() => void tick(), opts.probeIntervalMs ?? 2000);
    };
    opts.signal.addEventListener('abort', () => finish(), { once: true });
    if (opts.signal.aborted) finish();
    void session.closed.then((e) => finish(e));
    void tick();
  });
  if (result) throw result;
  await session.close(true);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', wake);
      resolve();
    };
    const t = setTimeout(wake, ms);
    signal?.addEventListener('abort', wake, { once: true });
  });
}
