// What `workplane dp run` does once it knows its Dataplane, token and DP
// server: connect (retrying while the control plane is unreachable, giving up
// on a refusal), probe the inbounds every few seconds and report changes, and
// on stop say goodbye so the control plane deletes the Dataplane.

import type { KObject } from '../../api/object.js';
import { silentLogger, type Logger } from '../../client/logger.js';
import type { InboundHealth } from '../protocol/messages.js';
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
        onStateChange: (state) => {
          if (state === 'connected' && session) opts.onConnected?.(session.subscriptionId);
        },
      });
    } catch (e) {
      if (e instanceof DpSessionError && e.fatal) throw e;
      log.warn({ err: e }, 'cannot reach the DP server; retrying');
      await sleep(backoff.next(), opts.signal);
    }
  }
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
  const stopped = new Promise<void>((r) => opts.signal.addEventListener('abort', () => r(), { once: true }));
  const ended = session.closed;
  let result: Error | undefined;
  for (;;) {
    if (targets.length > 0) await probe().catch((e) => log.warn({ err: e }, 'probe failed'));
    const outcome = await Promise.race([stopped.then(() => 'stop' as const), ended.then((e) => e ?? ('stop' as const)), sleep(opts.probeIntervalMs ?? 2000).then(() => 'tick' as const)]);
    if (outcome === 'tick') continue;
    if (outcome !== 'stop') result = outcome;
    break;
  }
  if (result) throw result;
  await session.close(true);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}
