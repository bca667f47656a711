// Writes DataplaneInsight status.mTLS after issuance through a bounded
// queue, latest certificate per insight: issuance never waits on storage, a
// proxy re-issued twice before its write ran costs one write (counting
// both), and a fleet-wide CA change does not put 10,000 writes in flight.
// Writes wait while `busy()` says proxies are still waiting for
// certificates: delivery first, the record after.

import { silentLogger, type Logger } from '../client/logger.js';
import { recordCertificate, type InsightWriter } from './insight-mtls.js';
import type { IssuedCertificate } from './issuer.js';

/** status.mTLS writes in flight at once. */
export const MAX_INFLIGHT_WRITES = 32;

interface Pending {
  namespace: string;
  name: string;
  mesh: string;
  cert: IssuedCertificate;
  count: number;
}

export class MtlsRecorder {
  private readonly pending = new Map<string, Pending>();
  private inflight = 0;
  private waiters: (() => void)[] = [];
  insights?: InsightWriter;

  constructor(
    private readonly trustNames: (mesh: string) => string[],
    private readonly busy: () => boolean,
    private readonly log: Logger = silentLogger,
  ) {}

  record(namespace: string, name: string, mesh: string, cert: IssuedCertificate): void {
    if (!this.insights) return;
    const key = `${namespace}/${name}`;
    this.pending.set(key, { namespace, name, mesh, cert, count: (this.pending.get(key)?.count ?? 0) + 1 });
    this.pump();
  }

  /** Starts queued writes, up to the bound, unless issuance is busy. */
  pump(): void {
    const insights = this.insights;
    if (!insights || this.busy()) return;
    while (this.inflight < MAX_INFLIGHT_WRITES && this.pending.size > 0) {
      const [key, p] = this.pending.entries().next().value!;
      this.pending.delete(key);
      this.inflight++;
      insights
        .update(p.namespace, p.name, recordCertificate(p.cert, this.trustNames(p.mesh), p.count))
        .catch((e) => this.log.warn({ err: e, dataplane: key }, 'identity: recording status.mTLS failed'))
        .finally(() => {
          this.inflight--;
          if (this.idleNow()) for (const w of this.waiters.splice(0)) w();
          // Through the event loop: in-process writes settle in microtasks, and a
          // chain of them would otherwise starve streams and evaluations.
          else setImmediate(() => this.pump());
        });
    }
  }

  /** Resolves when nothing is queued or in flight. */
  idle(): Promise<void> {
    return this.idleNow() ? Promise.resolve() : new Promise((r) => this.waiters.push(r));
  }

  private idleNow(): boolean {
    return this.inflight === 0 && this.pending.size === 0;
  }
}
